import Catalog
import Libvirt
import Logging

/// Recovery's steps for real: libvirt, the snapshot methods and the target, for one entry.
actor LiveRecoveryEffects: RecoveryEffects {
    private let engine: BackupEngine
    private let entry: JournalEntry
    private let logger: Logger
    private var domain: Domain?

    init(engine: BackupEngine, entry: JournalEntry, logger: Logger) {
        self.engine = engine
        self.entry = entry
        self.logger = logger
    }

    func domainExists() async -> Bool {
        domain = try? await engine.lookup(entry.vmUUID)
        return domain != nil
    }

    func resumeAndThaw(_ plan: RecoveryPlan) async -> [String] {
        guard let domain else { return [] }
        return await engine.thawAndResume(domain, entry: entry, plan: plan, logger: logger)
    }

    func releaseSnapshots() async -> [String] {
        guard let domain else { return [] }
        return await engine.releaseLeftovers(of: entry, domain: domain, logger: logger)
    }

    func removePartial() async -> [String] {
        await engine.removePartial(of: entry, logger: logger).map { [$0] } ?? []
    }
}
