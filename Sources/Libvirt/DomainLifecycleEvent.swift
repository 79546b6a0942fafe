import CLibvirt

/// A change of a domain's life reported by libvirt: defined, started, stopped, undefined, ...
public struct DomainLifecycleEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case defined
        /// The persistent definition was removed; a running domain goes on as a transient one.
        case undefined
        /// Renamed: libvirt reports the old name undefined and the new one defined.
        case renamed
        case started
        case suspended
        case resumed
        /// The domain is shut off (shut down, destroyed, crashed, failed to start, ...).
        case stopped
        case shuttingDown
        case other(Int32)
    }

    public var uuid: String
    public var name: String
    public var kind: Kind
    /// libvirt's detail code for the event, e.g. `VIR_DOMAIN_EVENT_STOPPED_DESTROYED`.
    public var detail: Int32

    public init(uuid: String, name: String, kind: Kind, detail: Int32) {
        self.uuid = uuid
        self.name = name
        self.kind = kind
        self.detail = detail
    }

    /// The kind of libvirt's `virDomainEventType` `event` with its `detail`.
    public static func kind(event: Int32, detail: Int32) -> Kind {
        switch UInt32(bitPattern: event) {
        case VIR_DOMAIN_EVENT_DEFINED.rawValue:
            return UInt32(bitPattern: detail) == VIR_DOMAIN_EVENT_DEFINED_RENAMED.rawValue ? .renamed : .defined
        case VIR_DOMAIN_EVENT_UNDEFINED.rawValue:
            return UInt32(bitPattern: detail) == VIR_DOMAIN_EVENT_UNDEFINED_RENAMED.rawValue ? .renamed : .undefined
        case VIR_DOMAIN_EVENT_STARTED.rawValue: return .started
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue: return .suspended
        case VIR_DOMAIN_EVENT_RESUMED.rawValue: return .resumed
        case VIR_DOMAIN_EVENT_STOPPED.rawValue: return .stopped
        case VIR_DOMAIN_EVENT_SHUTDOWN.rawValue: return .shuttingDown
        default: return .other(event)
        }
    }
}
