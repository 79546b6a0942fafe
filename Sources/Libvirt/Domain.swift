import CLibvirt

/// One libvirt domain. libvirt's domain handles are thread-safe, so one may be shared.
public final class Domain: @unchecked Sendable {
    public let name: String
    /// The UUID in lowercase canonical form.
    public let uuid: String
    let pointer: virDomainPtr

    /// Takes ownership of `pointer`: it is freed with the returned object, or now if this throws.
    ///
    /// Wraps `virDomainGetName` and `virDomainGetUUIDString`.
    init(owning pointer: virDomainPtr) throws(LibvirtError) {
        guard let name = virDomainGetName(pointer) else {
            let error = LibvirtError.last(call: "virDomainGetName")
            virDomainFree(pointer)
            throw error
        }
        var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(pointer, &buffer) == 0 else {
            let error = LibvirtError.last(call: "virDomainGetUUIDString")
            virDomainFree(pointer)
            throw error
        }
        self.name = String(cString: name)
        self.uuid = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .lowercased()
        self.pointer = pointer
    }

    deinit {
        virDomainFree(pointer)
    }
}
