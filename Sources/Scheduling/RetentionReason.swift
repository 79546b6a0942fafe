/// Why a backup is kept.
public enum RetentionReason: Sendable, Hashable, CustomStringConvertible {
    /// It fills a `keep-last` slot.
    case last
    /// It is the newest backup of an hour that fills a `keep-hourly` slot.
    case hourly
    /// It is the newest backup of a day that fills a `keep-daily` slot.
    case daily
    /// It is the newest backup of an ISO week that fills a `keep-weekly` slot.
    case weekly
    /// It is the newest backup of a month that fills a `keep-monthly` slot.
    case monthly
    /// It is the newest backup of a year that fills a `keep-yearly` slot.
    case yearly
    /// It is protected.
    case protected
    /// Its verification failed: it is kept until someone deletes it by hand, never removed
    /// silently.
    case failedVerification
    /// It is the newest good backup, which is never removed.
    case newest
    /// The kept backup with this id is an increment on it.
    case neededBy(String)
    /// The policy sets no option, so every backup is kept.
    case noPolicy

    /// The reason a backup kept by `option` is given.
    init(_ option: RetentionOption) {
        switch option {
        case .last: self = .last
        case .hourly: self = .hourly
        case .daily: self = .daily
        case .weekly: self = .weekly
        case .monthly: self = .monthly
        case .yearly: self = .yearly
        }
    }

    /// A short phrase for a dry-run table: `keep-daily`, `protected`, `needed by ID`.
    public var description: String {
        switch self {
        case .last: RetentionOption.last.rawValue
        case .hourly: RetentionOption.hourly.rawValue
        case .daily: RetentionOption.daily.rawValue
        case .weekly: RetentionOption.weekly.rawValue
        case .monthly: RetentionOption.monthly.rawValue
        case .yearly: RetentionOption.yearly.rawValue
        case .protected: "protected"
        case .failedVerification: "failed verification (kept until deleted by hand)"
        case .newest: "newest good backup"
        case .neededBy(let id): "needed by \(id)"
        case .noPolicy: "no retention policy"
        }
    }
}
