/// What a domain is doing, from `virDomainGetState`.
public enum DomainState: Sendable, Equatable {
    case running
    case blocked
    case paused
    case shuttingDown
    case shutOff
    case crashed
    /// Suspended by guest power management (`VIR_DOMAIN_PMSUSPENDED`).
    case suspended
    case unknown

    /// Whether QEMU is up, so live disk operations (snapshot, block commit) can work.
    public var isActive: Bool {
        switch self {
        case .running, .blocked, .paused, .shuttingDown, .suspended: true
        case .shutOff, .crashed, .unknown: false
        }
    }
}
