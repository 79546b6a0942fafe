import Libvirt
import Logging

extension Qcow2Overlay {
    /// How often the block job is polled while the commit copies.
    static let pollInterval: Duration = .milliseconds(100)
    /// How many times a pivot is tried while libvirt says the job is not ready yet.
    static let pivotAttempts = 20

    /// Starts (or resumes waiting for) the active commit, waits until it is ready and pivots, all
    /// within `commitTimeout`; on timeout or a failed pivot the job is aborted and the disk stays
    /// on the overlay. A commit that does not converge (the guest writes faster than it copies) is
    /// pivoted with the guest's writes throttled (``pivotWithWritesThrottled(_:_:deadline:)``).
    func commitAndPivot(_ place: OverlayPlace) async throws {
        let deadline = ContinuousClock.now + commitTimeout
        try await startCommit(place)
        switch try await waitUntilReady(place, deadline: deadline) {
        case .ready:
            try await pivot(place, deadline: deadline)
        case .backOnOriginal:
            return
        case .notConverging(let stall):
            try await pivotWithWritesThrottled(place, stall, deadline: deadline)
        }
    }

    /// How waiting for a commit to be ready ended.
    enum CommitWait {
        case ready
        /// The job is gone and the disk runs on its original image: someone else pivoted it.
        case backOnOriginal
        case notConverging(NonConvergence)
    }

    /// Starts the active commit, or adopts one an earlier release left running.
    private func startCommit(_ place: OverlayPlace) async throws {
        let target = place.target
        let running = try await call(.commit, place) { domain throws(LibvirtError) in
            try domain.blockJobInfo(disk: target)
        }
        guard let running else {
            let bandwidth = convergence.commitBandwidth
            try await call(.commit, place) { domain throws(LibvirtError) in
                try domain.blockCommitActive(disk: target, bandwidth: bandwidth)
            }
            return
        }
        guard running.isActiveCommit else {
            throw failure(
                .commit, disks: [target],
                message: "another block job (type \(running.type)) runs on the disk; overlay \(place.overlay) was kept")
        }
    }

    /// Polls the job until it is ready to pivot, or until its progress shows it does not converge.
    private func waitUntilReady(_ place: OverlayPlace, deadline: ContinuousClock.Instant) async throws -> CommitWait {
        let target = place.target
        let started = ContinuousClock.now
        var watch = CommitWatch(convergence)
        while true {
            let job = try await call(.commit, place) { domain throws(LibvirtError) in
                try domain.blockJobInfo(disk: target)
            }
            guard let job else {
                try await confirmPivotedElsewhere(place)
                return .backOnOriginal
            }
            if job.isReady { return .ready }
            let sample = CommitSample(at: ContinuousClock.now - started, cur: job.cur, end: job.end)
            if let stall = watch.record(sample) { return .notConverging(stall) }
            guard ContinuousClock.now < deadline else {
                throw await abortCommit(place, step: .commit, reason: "was not ready after \(commitTimeout)")
            }
            await sleepIgnoringCancellation(Self.pollInterval)
        }
    }

    /// For a job that is gone: fine if the disk runs on its original image (someone pivoted it);
    /// otherwise the commit ended without a pivot and the disk still runs on the overlay.
    func confirmPivotedElsewhere(_ place: OverlayPlace) async throws {
        guard try await liveSource(of: place, step: .commit) != place.original else { return }
        throw failure(
            .commit, disks: [place.target],
            message: "the block commit ended before it could be pivoted; the VM still runs on overlay "
                + "\(place.overlay), which holds data and was kept")
    }

    /// Pivots the disk onto its original image, trying again while libvirt says "not ready yet".
    private func pivot(_ place: OverlayPlace, deadline: ContinuousClock.Instant) async throws {
        let target = place.target
        var attempt = 1
        while true {
            do {
                try await libvirt { domain throws(LibvirtError) in try domain.pivotBlockJob(disk: target) }
                return
            } catch let error as LibvirtError
                where error.isBlockJobNotReady && attempt < Self.pivotAttempts && ContinuousClock.now < deadline
            {
                attempt += 1
                await sleepIgnoringCancellation(Self.pollInterval)
            } catch {
                if let down = await domainDown(error, step: .pivot, place: place) { throw down }
                throw await abortCommit(place, step: .pivot, reason: "could not be pivoted (\(error))")
            }
        }
    }

    /// Aborts the commit so the disk keeps running on the overlay, and describes what happened.
    func abortCommit(_ place: OverlayPlace, step: SnapshotError.Step, reason: String) async -> SnapshotError {
        let target = place.target
        logger.info(
            "aborting block commit",
            metadata: ["vm.name": "\(domain.name)", "disk.target": "\(target)", "reason": "\(reason)"])
        var aborted = "was aborted"
        do {
            try await libvirt { domain throws(LibvirtError) in try domain.abortBlockJob(disk: target) }
        } catch {
            aborted = "could not be aborted (\(error))"
        }
        return failure(
            step, disks: [target],
            message: "the block commit \(reason) and \(aborted); the VM still runs on overlay \(place.overlay), "
                + "which holds data and was kept")
    }
}
