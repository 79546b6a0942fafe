/// How many of a VM's backups to keep, as Proxmox VE and Proxmox Backup Server express it:
/// `keep-last`, `keep-hourly`, `keep-daily`, `keep-weekly`, `keep-monthly`, `keep-yearly`.
///
/// Each count is optional. A policy with no option set keeps every backup, as Proxmox does.
/// A policy whose options are all set to 0 keeps no backup by itself; the safety rules of
/// ``plan(for:timeZone:)`` still keep protected backups, backups that failed verification, the
/// newest good backup and every backup a kept one depends on. (Proxmox keeps everything then;
/// this daemon takes an explicit 0 at its word.)
public struct RetentionPolicy: Sendable, Hashable, CustomStringConvertible {
    /// How many of the newest backups to keep.
    public let keepLast: Int?
    /// For how many of the newest local hours with a backup to keep that hour's newest.
    public let keepHourly: Int?
    /// For how many of the newest local days with a backup to keep that day's newest.
    public let keepDaily: Int?
    /// For how many of the newest ISO weeks with a backup to keep that week's newest.
    public let keepWeekly: Int?
    /// For how many of the newest local months with a backup to keep that month's newest.
    public let keepMonthly: Int?
    /// For how many of the newest local years with a backup to keep that year's newest.
    public let keepYearly: Int?

    /// A policy from its counts; `nil` leaves an option unused.
    ///
    /// - Throws: ``RetentionPolicyError/negativeCount(_:_:)`` for the first count below zero,
    ///   in the order the options are applied.
    public init(
        keepLast: Int? = nil, keepHourly: Int? = nil, keepDaily: Int? = nil, keepWeekly: Int? = nil,
        keepMonthly: Int? = nil, keepYearly: Int? = nil
    ) throws(RetentionPolicyError) {
        self.init(unchecked: keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly)
        for option in RetentionOption.allCases {
            if let count = count(for: option), count < 0 { throw .negativeCount(option, count) }
        }
    }

    private init(
        unchecked keepLast: Int?, _ keepHourly: Int?, _ keepDaily: Int?, _ keepWeekly: Int?, _ keepMonthly: Int?,
        _ keepYearly: Int?
    ) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
    }

    /// The policy with no option set: it keeps every backup.
    public static let keepEverything = RetentionPolicy(unchecked: nil, nil, nil, nil, nil, nil)

    /// The count given for `option`, or `nil` when it is not set.
    public func count(for option: RetentionOption) -> Int? {
        switch option {
        case .last: keepLast
        case .hourly: keepHourly
        case .daily: keepDaily
        case .weekly: keepWeekly
        case .monthly: keepMonthly
        case .yearly: keepYearly
        }
    }

    /// True when no option is set, so that every backup is kept.
    public var keepsEverything: Bool { RetentionOption.allCases.allSatisfy { count(for: $0) == nil } }

    /// The options that are set, in the order they apply: `keep-last=3 keep-daily=13`, or
    /// `keep everything` when none is.
    public var description: String {
        let set = RetentionOption.allCases.compactMap { option in count(for: option).map { "\(option)=\($0)" } }
        return set.isEmpty ? "keep everything" : set.joined(separator: " ")
    }
}
