import Catalog
import Foundation

/// Which backups a scheduled verify checks: pure, over the catalog's view of a VM's backups.
enum VerifyDue {
    /// The backups never verified, or last verified more than `reverifyAfterSeconds` before
    /// `now`, oldest first (the oldest have waited longest). A backup that failed is verified
    /// again on the same terms: a later pass clears it.
    static func backups(_ backups: [CatalogBackup], now: Date, reverifyAfterSeconds: Int) -> [CatalogBackup] {
        let cutoff = now.addingTimeInterval(-Double(reverifyAfterSeconds))
        return backups.filter { backup in
            guard let verified = backup.verification?.verified else { return true }
            return verified <= cutoff
        }
        .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }
}
