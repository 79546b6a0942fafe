import CLibvirt
import Synchronization

/// A connection that reports every domain's lifecycle events, and its own end: libvirtd stopped
/// or restarted, or stopped answering keepalive messages. Needs ``LibvirtEventLoop`` running;
/// the handlers are called on its thread, so they must return quickly.
public final class DomainEventConnection: @unchecked Sendable {
    /// What the C callbacks call back into; libvirt holds a reference per registration and drops
    /// it when the registration ends.
    private final class Handlers: Sendable {
        let onEvent: @Sendable (DomainLifecycleEvent) -> Void
        let onClose: @Sendable () -> Void

        init(onEvent: @escaping @Sendable (DomainLifecycleEvent) -> Void, onClose: @escaping @Sendable () -> Void) {
            self.onEvent = onEvent
            self.onClose = onClose
        }
    }

    private let connection: LibvirtConnection
    private let callbackID: Int32
    private let registered = Mutex(true)

    /// Opens a connection, turns keepalive on (a libvirtd that stops answering for `interval` ×
    /// (`count` + 1) seconds counts as gone) and registers for lifecycle events of every domain.
    ///
    /// Wraps `virConnectOpen`, `virConnectSetKeepAlive`, `virConnectRegisterCloseCallback` and
    /// `virConnectDomainEventRegisterAny` with `VIR_DOMAIN_EVENT_ID_LIFECYCLE`.
    public init(
        uri: String, keepAliveInterval: Int32 = 5, keepAliveCount: UInt32 = 3,
        onEvent: @escaping @Sendable (DomainLifecycleEvent) -> Void, onClose: @escaping @Sendable () -> Void
    ) throws(LibvirtError) {
        let connection = try LibvirtConnection(uri: uri)
        guard virConnectSetKeepAlive(connection.pointer, keepAliveInterval, keepAliveCount) == 0 else {
            throw LibvirtError.last(call: "virConnectSetKeepAlive")
        }
        let handlers = Handlers(onEvent: onEvent, onClose: onClose)
        let closing = Unmanaged.passRetained(handlers).toOpaque()
        guard virConnectRegisterCloseCallback(connection.pointer, Self.closed, closing, Self.release) == 0 else {
            let error = LibvirtError.last(call: "virConnectRegisterCloseCallback")
            Unmanaged<Handlers>.fromOpaque(closing).release()
            throw error
        }
        let events = Unmanaged.passRetained(handlers).toOpaque()
        let id = virConnectDomainEventRegisterAny(
            connection.pointer, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
            unsafeBitCast(Self.lifecycle, to: virConnectDomainEventGenericCallback.self), events, Self.release)
        guard id >= 0 else {
            let error = LibvirtError.last(call: "virConnectDomainEventRegisterAny")
            Unmanaged<Handlers>.fromOpaque(events).release()
            virConnectUnregisterCloseCallback(connection.pointer, Self.closed)
            throw error
        }
        self.connection = connection
        self.callbackID = id
    }

    /// Whether the connection is still open.
    ///
    /// Wraps `virConnectIsAlive`.
    public var isAlive: Bool { virConnectIsAlive(connection.pointer) == 1 }

    /// Ends the registrations; no handler is called after this. Blocks while libvirtd answers.
    ///
    /// Wraps `virConnectDomainEventDeregisterAny` and `virConnectUnregisterCloseCallback`.
    public func close() {
        registered.withLock { registered in
            guard registered else { return }
            registered = false
            virConnectDomainEventDeregisterAny(connection.pointer, callbackID)
            virConnectUnregisterCloseCallback(connection.pointer, Self.closed)
        }
    }

    deinit {
        close()
    }

    private static let release: virFreeCallback = { opaque in
        guard let opaque else { return }
        Unmanaged<Handlers>.fromOpaque(opaque).release()
    }

    private static let closed: virConnectCloseFunc = { _, _, opaque in
        guard let opaque else { return }
        Unmanaged<Handlers>.fromOpaque(opaque).takeUnretainedValue().onClose()
    }

    /// The lifecycle event callback; `VIR_DOMAIN_EVENT_ID_LIFECYCLE` has the signature of the
    /// older `virConnectDomainEventCallback`.
    private static let lifecycle: virConnectDomainEventCallback = { _, domain, event, detail, opaque in
        guard let opaque, let domain else { return 0 }
        var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(domain, &buffer) == 0 else { return 0 }
        let uuid = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
        let handlers = Unmanaged<Handlers>.fromOpaque(opaque).takeUnretainedValue()
        handlers.onEvent(
            DomainLifecycleEvent(
                uuid: uuid.lowercased(), name: name, kind: DomainLifecycleEvent.kind(event: event, detail: detail),
                detail: detail))
        return 0
    }
}
