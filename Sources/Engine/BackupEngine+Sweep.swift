import Logging
import Targets

/// The start-up sweep of every target.
extension BackupEngine {
    /// Removes what interrupted work of this daemon left in the targets' folders that no journal
    /// entry names: partial folders, deletes and manifest edits cut short; what may be another
    /// daemon's work (a host sharing the target) is left alone and logged once. Call it at
    /// start, after `recover()`, while no backup runs.
    public func sweepTargets() async {
        for (name, target) in targets.sorted(by: { $0.key < $1.key }) {
            let report = await target.sweep()
            guard !report.isEmpty else { continue }
            let removed = report.partials + report.deletions + report.manifestScratch
            if !removed.isEmpty {
                logger.notice(
                    "removed what interrupted work left on the target",
                    metadata: ["target": "\(name)", "paths": "\(removed.joined(separator: ", "))"])
            }
            if !report.leftAlone.isEmpty {
                logger.notice(
                    "left alone on the target: work of another daemon or host, or not yet abandoned",
                    metadata: ["target": "\(name)", "paths": "\(report.leftAlone.joined(separator: ", "))"])
            }
            if !report.problems.isEmpty {
                logger.error(
                    "leftovers on the target were not removed",
                    metadata: ["target": "\(name)", "problems": "\(report.problems.joined(separator: "; "))"])
            }
        }
    }
}
