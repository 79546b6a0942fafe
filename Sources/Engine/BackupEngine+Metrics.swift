import Catalog
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The state behind `/metrics`: what the catalog says, the targets' space and the unresolved
/// recoveries, read again at start and at each scrape.
extension BackupEngine {
    /// Sets the state gauges (``StateMetrics``) and makes the job metrics known, so that `/metrics`
    /// lists every family from the start. The daemon calls it before its socket answers, and
    /// before each scrape's answer. A catalog that cannot be read keeps the gauges as they were.
    public func refreshMetrics() async {
        let figures: CatalogFigures
        do {
            figures = try await catalog.figures()
        } catch {
            logger.warning("cannot read the catalog for the metrics", metadata: ["error": "\(error)"])
            return
        }
        let spaces = await targetSpaces()
        let unresolved = await unresolvedRecoveries().count
        StateGauges.shared.apply(
            StateMetrics.samples(figures: figures, targets: spaces, unresolvedRecoveries: unresolved))
        BackupMetrics.shared.register(vms: Set(figures.stored.map(\.vmName)))
        _ = VerifyMetrics.shared
        _ = DrillMetrics.shared
    }

    /// The free and total bytes of each target's file system; a target whose `statvfs` fails or
    /// takes more than five seconds (a hung network mount) is left out.
    private func targetSpaces() async -> [StateMetrics.TargetSpace] {
        var spaces: [StateMetrics.TargetSpace] = []
        for target in settings.targets {
            let directory = target.directory
            let space = try? await executor.run(within: .seconds(5)) { () -> StateMetrics.TargetSpace? in
                var info = statvfs()
                guard statvfs(directory, &info) == 0 else { return nil }
                let block = UInt64(info.f_frsize)
                return StateMetrics.TargetSpace(
                    target: target.name, freeBytes: UInt64(info.f_bavail) * block,
                    sizeBytes: UInt64(info.f_blocks) * block)
            }
            if let space = space ?? nil { spaces.append(space) }
        }
        return spaces
    }
}
