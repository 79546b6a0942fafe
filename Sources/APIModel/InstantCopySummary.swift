import Foundation

/// A domain running on overlays of stored images (a restore `--instant`), as
/// `GET /v1/instant` lists it: the backups it reads from stay in use until it is kept (made
/// independent of the target) or discarded.
public struct InstantCopySummary: Codable, Sendable, Equatable {
    public var domain: String
    public var domainUUID: String
    /// The VM whose backups it reads.
    public var vm: String
    public var vmUUID: String
    /// The backups in use, by id.
    public var backups: [String]
    /// The overlays, by disk target.
    public var overlays: [String: String]
    public var created: Date
    /// Whether a drill made it (and removes it when the drill ends).
    public var drill: Bool

    public init(
        domain: String, domainUUID: String, vm: String, vmUUID: String, backups: [String],
        overlays: [String: String], created: Date, drill: Bool
    ) {
        self.domain = domain
        self.domainUUID = domainUUID
        self.vm = vm
        self.vmUUID = vmUUID
        self.backups = backups
        self.overlays = overlays
        self.created = created
        self.drill = drill
    }
}
