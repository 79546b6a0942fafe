import CLibvirt
import Synchronization

/// One libvirt domain. libvirt's domain handles are thread-safe, so one may be shared.
///
/// A domain outlives its connection: when libvirtd restarts, the next call through it reopens the
/// connection and looks the domain up again by UUID (``reconnect()``) before it is made. A call
/// whose reply was lost with the connection is never repeated here: it throws an error for which
/// ``LibvirtError/isConnectionLost`` is true, and the caller decides what is safe to do again.
public final class Domain: @unchecked Sendable {
    public let name: String
    /// The UUID in lowercase canonical form.
    public let uuid: String
    /// The URI of the connection, for reopening it.
    public let uri: String
    let binding: Mutex<Binding>

    /// The handle calls go through now, and those of connections that were lost. A lost handle
    /// is freed only with the domain: a call on another thread may still be using it.
    /// libvirt's handles are thread-safe; the mutex guards which one is current.
    struct Binding: @unchecked Sendable {
        var pointer: virDomainPtr
        var retired: [virDomainPtr] = []
        /// When the connection was first found lost, while it stays lost.
        var lostSince: ContinuousClock.Instant?
    }

    /// Takes ownership of `pointer`: it is freed with the returned object, or now if this throws.
    ///
    /// Wraps `virDomainGetName` and `virDomainGetUUIDString`.
    init(owning pointer: virDomainPtr, uri: String) throws(LibvirtError) {
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
        self.uri = uri
        self.binding = Mutex(Binding(pointer: pointer))
    }

    /// The handle for the next call: the current one, or, when its connection was lost, a new one
    /// on a reopened connection (see ``reconnect()``). If libvirtd cannot be reached, the lost
    /// handle is returned and the call fails with a connection-lost error.
    var pointer: virDomainPtr {
        binding.withLock { binding in
            if !Self.isAlive(binding.pointer) {
                _ = try? Self.rebind(&binding, uuid: uuid, uri: uri, waiting: Self.transparentWait)
            }
            return binding.pointer
        }
    }

    deinit {
        binding.withLock { binding in
            virDomainFree(binding.pointer)
            for lost in binding.retired { virDomainFree(lost) }
        }
    }
}
