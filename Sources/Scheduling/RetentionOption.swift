/// One keep option of a retention policy, in the order the options are applied.
///
/// The raw values are the option names used by Proxmox VE, Proxmox Backup Server and this
/// daemon's configuration: `keep-last`, `keep-hourly`, and so on.
public enum RetentionOption: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Keeps the newest backups, one slot each.
    case last = "keep-last"
    /// Keeps the newest backup of each of the newest local hours that have one.
    case hourly = "keep-hourly"
    /// Keeps the newest backup of each of the newest local days that have one.
    case daily = "keep-daily"
    /// Keeps the newest backup of each of the newest ISO 8601 weeks (Monday first) that have one.
    case weekly = "keep-weekly"
    /// Keeps the newest backup of each of the newest local months that have one.
    case monthly = "keep-monthly"
    /// Keeps the newest backup of each of the newest local years that have one.
    case yearly = "keep-yearly"

    public var description: String { rawValue }
}
