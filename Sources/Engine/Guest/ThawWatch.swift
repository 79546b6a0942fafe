import APIModel
import Blocking
import Catalog
import Foundation
import Libvirt
import Logging

/// The background thaw: a guest whose freeze or thaw its agent left unanswered may be frozen now,
/// or become frozen later (a freeze hook that returns late lets the agent freeze after the job
/// gave up). The job records such a guest in the catalog and hands it here, then goes on without
/// waiting; this keeps trying to thaw it, with growing pauses, until the agent says the
/// filesystems are thawed or the domain stops. The catalog's record outlives the job and a
/// restart of the daemon: at start every recorded guest is watched again.
actor ThawWatch {
    private let catalog: BackupCatalog
    private let executor: BlockingExecutor
    private let libvirtURI: String
    private let agentTimeoutSeconds: Int32
    private let logger: Logger
    private let schedule: ThawBackoff
    private var loops: [String: Task<Void, Never>] = [:]

    init(
        catalog: BackupCatalog, executor: BlockingExecutor, libvirtURI: String,
        agentTimeoutSeconds: Int32, logger: Logger, schedule: ThawBackoff = ThawBackoff()
    ) {
        self.catalog = catalog
        self.executor = executor
        self.libvirtURI = libvirtURI
        self.agentTimeoutSeconds = min(agentTimeoutSeconds, 5)
        self.logger = logger
        self.schedule = schedule
    }

    /// Records that the guest may still be frozen and starts thawing it in the background.
    /// Throws when the record cannot be written: the caller must then keep the guest as its own
    /// problem (the journal keeps it for recovery).
    func takeOver(_ thaw: PendingThaw) async throws {
        try await catalog.recordPendingThaw(thaw)
        logger.warning(
            "the guest may still be frozen; thawing it in the background until its agent says it is thawed",
            metadata: ["vm.name": "\(thaw.vmName)", "reason": "\(thaw.reason)"])
        start(thaw)
    }

    /// Watches every guest the catalog records as possibly frozen (at start).
    func resumeRecorded() async {
        do {
            for thaw in try await catalog.pendingThaws() {
                logger.notice(
                    "the guest may still be frozen since an earlier run; thawing it in the background",
                    metadata: ["vm.name": "\(thaw.vmName)", "since": "\(thaw.since)"])
                start(thaw)
            }
        } catch {
            logger.error("cannot read the guests that may still be frozen", metadata: ["error": "\(error)"])
        }
    }

    /// Whether VM `vmUUID` may still be frozen, and since when and why.
    func pending(vmUUID: String) async -> PendingThaw? {
        (try? await catalog.pendingThaws())?.first { $0.vmUUID == vmUUID }
    }

    /// Stops watching (at shutdown); the records stay for the next start.
    func stopAll() async {
        let running = loops.values
        loops = [:]
        for loop in running { loop.cancel() }
        for loop in running { await loop.value }
    }

    private func start(_ thaw: PendingThaw) {
        guard loops[thaw.vmUUID] == nil else { return }
        loops[thaw.vmUUID] = Task { await self.watch(thaw) }
    }

    private func watch(_ thaw: PendingThaw) async {
        let logger = self.logger.with(["vm.name": "\(thaw.vmName)", "vm.uuid": "\(thaw.vmUUID)"])
        var attempt = 0
        while true {
            do {
                try await Task.sleep(for: schedule.delay(beforeAttempt: attempt))
            } catch {
                return
            }
            attempt += 1
            switch await tryThaw(vmUUID: thaw.vmUUID, vmName: thaw.vmName, logger: logger) {
            case .ended(let how):
                loops[thaw.vmUUID] = nil
                do {
                    try await catalog.clearPendingThaw(vmUUID: thaw.vmUUID)
                } catch {
                    logger.error(
                        "the guest is thawed, but its record could not be removed", metadata: ["error": "\(error)"])
                }
                logger.notice("guest no longer frozen: \(how)", metadata: ["thaw.attempts": "\(attempt)"])
                return
            case .stillPending(let problem):
                try? await catalog.notePendingThawAttempt(vmUUID: thaw.vmUUID, at: Date(), error: problem)
                let level: Logger.Level = schedule.isWorthAWarning(attempt: attempt) ? .warning : .debug
                logger.log(
                    level: level, "the guest may still be frozen; its agent does not answer; trying again",
                    metadata: ["thaw.attempts": "\(attempt)", "error": "\(problem)"])
            }
        }
    }

    enum Attempt: Equatable {
        /// Nothing is frozen any more; says why the guest counts as thawed.
        case ended(String)
        case stillPending(String)
    }

    /// One try: on a fresh connection (libvirtd may have restarted), a domain that is gone or
    /// stopped is not frozen; otherwise the agent is asked, and thawed when it says frozen.
    private func tryThaw(vmUUID: String, vmName: String, logger: Logger) async -> Attempt {
        let uri = libvirtURI
        let domain: Domain
        do {
            domain = try await executor.run(within: .seconds(30)) {
                try LibvirtConnection(uri: uri).lookupDomain(vmUUID)
            }
            guard try await executor.run(within: .seconds(30), { try domain.state() }).isActive else {
                return .ended("the domain stopped")
            }
        } catch let error as LibvirtError where error.isNoDomain {
            return .ended("the domain is gone")
        } catch {
            return .stillPending("cannot read the domain: \(error)")
        }
        let guest = GuestFilesystems(
            domain: domain, vmName: vmName, executor: executor, agentTimeoutSeconds: agentTimeoutSeconds)
        do {
            if try await guest.status() == .thawed { return .ended("its agent reports its filesystems thawed") }
            switch try await guest.thawAndConfirm(attempts: 1, logger: logger) {
            case .thawed(let count): return .ended("thawed \(count) filesystems; its agent reports them thawed")
            case .noAgent: return .ended("the domain has no guest agent")
            }
        } catch let error as LibvirtError where error.isAgentNotConfigured {
            return .ended("the domain has no guest agent")
        } catch {
            return .stillPending("\(error)")
        }
    }
}
