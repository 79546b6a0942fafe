import CLibvirt
import Foundation

extension Domain {
    /// How long, per loss of the connection, calls through the domain wait on their own for
    /// libvirtd to come back before failing: long enough for a restart (a package upgrade's is
    /// under a second), short enough not to hold a blocking thread for long. Longer outages are
    /// waited for by the caller, without a thread (``ReconnectBackoff``).
    static let transparentWait: Duration = .seconds(10)

    /// Whether the domain's connection is open, as far as libvirt knows without asking libvirtd.
    ///
    /// Wraps `virConnectIsAlive`.
    public var isConnected: Bool {
        binding.withLock { Self.isAlive($0.pointer) }
    }

    /// Reopens the connection if it was lost and looks the domain up again by UUID. Does nothing
    /// while the connection is open. One attempt, without waiting.
    ///
    /// Throws an error for which ``LibvirtError/isConnectionLost`` is true while libvirtd cannot
    /// be reached, and one for which ``LibvirtError/isNoDomain`` is true when libvirtd no longer
    /// has the domain.
    ///
    /// Wraps `virConnectOpen` and `virDomainLookupByUUIDString`.
    public func reconnect() throws(LibvirtError) {
        try binding.withLock { (binding: inout Binding) throws(LibvirtError) in
            guard !Self.isAlive(binding.pointer) else { return }
            try Self.rebind(&binding, uuid: uuid, uri: uri, waiting: .zero)
        }
    }

    static func isAlive(_ pointer: virDomainPtr) -> Bool {
        guard let connection = virDomainGetConnect(pointer) else { return false }
        return virConnectIsAlive(connection) == 1
    }

    /// Opens a new connection and points `binding` at the domain on it. While libvirtd cannot be
    /// reached, tries again until `waiting` has passed since the loss was first seen.
    static func rebind(
        _ binding: inout Binding, uuid: String, uri: String, waiting: Duration
    ) throws(LibvirtError) {
        let lostSince = binding.lostSince ?? .now
        binding.lostSince = lostSince
        var backoff = ReconnectBackoff(total: waiting).delays.makeIterator()
        while true {
            do throws(LibvirtError) {
                let connection = try LibvirtConnection(uri: uri)
                guard let pointer = virDomainLookupByUUIDString(connection.pointer, uuid) else {
                    throw LibvirtError.last(call: "virDomainLookupByUUIDString")
                }
                binding.retired.append(binding.pointer)
                binding.pointer = pointer
                binding.lostSince = nil
                return
            } catch let error where error.isConnectionLost {
                guard let delay = backoff.next(), ContinuousClock.now + delay < lostSince + waiting else { throw error }
                Thread.sleep(forTimeInterval: delay.seconds)
            }
        }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
