/// A failed libvirt call: libvirt's error code, domain and message, and the C function that failed.
public struct LibvirtError: Error, Sendable, CustomStringConvertible {
    /// libvirt's `virErrorNumber`.
    public var code: Int32
    /// libvirt's `virErrorDomain`: the part of libvirt that raised the error.
    public var domain: Int32
    /// libvirt's own message.
    public var message: String
    /// The C function that failed, e.g. `virDomainFSFreeze`.
    public var call: String

    public init(code: Int32, domain: Int32, message: String, call: String) {
        self.code = code
        self.domain = domain
        self.message = message
        self.call = call
    }

    public var description: String {
        "\(call): \(message)"
    }
}
