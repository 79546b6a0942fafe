import Targets

/// What one verify checks: a published backup as the catalog knows it when the verify is asked
/// for. The job reads the manifest from the target again before it checks anything, and checks
/// what that says.
struct VerifyPlan: Sendable {
    var vmName: String
    var vmUUID: String
    var backupID: String
    /// The name of the target holding the backup.
    var targetName: String
    /// The manifest the catalog holds.
    var manifest: Manifest

    /// The bytes a verify reads: the guest-visible size of every stored disk.
    static func totalBytes(of manifest: Manifest) -> UInt64 {
        manifest.disks.filter { $0.excluded == nil }.reduce(0) { $0 + ($1.virtualSize ?? 0) }
    }
}
