import Libvirt
import Logging

/// A commit that does not converge is pivoted with the guest's writes to the disk throttled
/// (`virDomainSetBlockIoTune`, live only), and the disk's own limits are set back afterwards.
/// The limits from before are recorded beside the overlay first, so that if the daemon dies
/// meanwhile, the next release of the overlay (crash recovery) sets them back.
extension Qcow2Overlay {
    /// How often, while throttled, a pivot is tried even though the job's progress does not look
    /// finished: libvirt knows the job is ready (QEMU's event) before its progress says so.
    static let throttledPivotEvery = 10

    /// Throttles the guest's writes to the disk, waits (within `convergence.throttledWait` and
    /// `deadline`) until the commit is ready, pivots, and sets the disk's limits back, whatever
    /// happened. Not ready in time, the commit is aborted and the disk stays on its overlay.
    func pivotWithWritesThrottled(
        _ place: OverlayPlace, _ stall: NonConvergence, deadline: ContinuousClock.Instant
    ) async throws {
        let metadata: Logger.Metadata = [
            "vm.name": "\(domain.name)", "disk.target": "\(place.target)", "overlay.path": "\(place.overlay)",
        ]
        logger.notice(
            "block commit not converging: \(stall.reason)",
            metadata: metadata.merging([
                "commit.copy_rate": "\(CommitWatch.amount(stall.copyRate))/s",
                "commit.dirty_rate": "\(CommitWatch.amount(stall.dirtyRate))/s",
            ]) { $1 })
        if try await pivotOnce(place) {
            logger.info("block commit pivoted: libvirt had it ready", metadata: metadata)
            return
        }
        let limit = stall.writeLimit(convergence)
        let rate = "\(CommitWatch.amount(limit))/s"
        let record: ThrottleRecord
        do {
            record = try await throttleWrites(place, to: limit)
        } catch {
            throw await abortCommit(
                place, step: .commit,
                reason: "did not converge (\(stall.reason)) and the guest's writes could not be throttled (\(error))")
        }
        logger.notice(
            "commit not converging, throttling \(place.target) writes to \(rate) for the pivot", metadata: metadata)
        let until = min(deadline, ContinuousClock.now + convergence.throttledWait)
        var pivotFailure: (any Error)?
        do {
            try await pivotWhenReady(place, until: until, throttledTo: rate)
            logger.notice("block commit pivoted with \(place.target) writes throttled", metadata: metadata)
        } catch {
            pivotFailure = error
        }
        if let problem = await restoreWrites(record, place) {
            if let pivotFailure {
                throw failure(.commit, disks: [place.target], message: "\(pivotFailure); and: \(problem.message)")
            }
            throw problem
        }
        if let pivotFailure { throw pivotFailure }
    }

    /// Polls the throttled job until a pivot succeeds, trying one whenever the job looks ready and
    /// every `throttledPivotEvery` polls; aborts the commit at `until`.
    private func pivotWhenReady(_ place: OverlayPlace, until: ContinuousClock.Instant, throttledTo rate: String)
        async throws
    {
        let target = place.target
        var polls = 0
        while true {
            let job = try await call(.commit, place) { domain throws(LibvirtError) in
                try domain.blockJobInfo(disk: target)
            }
            guard let job else { return try await confirmPivotedElsewhere(place) }
            if job.isReady || polls % Self.throttledPivotEvery == 0, try await pivotOnce(place) { return }
            guard ContinuousClock.now < until else {
                throw await abortCommit(
                    place, step: .commit,
                    reason: "did not converge and was still not ready \(convergence.throttledWait) after the "
                        + "guest's writes were throttled to \(rate)")
            }
            polls += 1
            await sleepIgnoringCancellation(Self.pollInterval)
        }
    }

    /// Tries the pivot once: `false` when libvirt says the job is not ready yet. Any other failure
    /// aborts the commit, keeping the disk on its overlay.
    private func pivotOnce(_ place: OverlayPlace) async throws -> Bool {
        let target = place.target
        do {
            try await libvirt { domain throws(LibvirtError) in try domain.pivotBlockJob(disk: target) }
            return true
        } catch let error as LibvirtError where error.isBlockJobNotReady {
            return false
        } catch {
            if let down = await domainDown(error, step: .pivot, place: place) { throw down }
            throw await abortCommit(place, step: .pivot, reason: "could not be pivoted (\(error))")
        }
    }

    /// Reads the disk's limits, records them beside the overlay, then lowers its write limit.
    private func throttleWrites(_ place: OverlayPlace, to limit: UInt64) async throws -> ThrottleRecord {
        let target = place.target
        let original = try await libvirt { domain throws(LibvirtError) in try domain.blockIoTune(disk: target) }
        let record = ThrottleRecord(target: target, original: original, throttled: original.limitingWrites(to: limit))
        try writeThrottleRecord(record, place)
        do {
            try await libvirt { domain throws(LibvirtError) in try domain.setBlockIoTune(disk: target, record.throttled)
            }
        } catch {
            try? removeThrottleRecord(place)
            throw error
        }
        return record
    }

    /// Sets back the limits `record` changed (those still at their throttled value) and removes
    /// the record; returns what went wrong instead, the record then kept for the next release.
    func restoreWrites(_ record: ThrottleRecord, _ place: OverlayPlace) async -> SnapshotError? {
        let target = place.target
        do {
            let current = try await libvirt { domain throws(LibvirtError) in try domain.blockIoTune(disk: target) }
            let restored = current.undoing(record.throttled, backTo: record.original)
            if restored != current {
                try await libvirt { domain throws(LibvirtError) in try domain.setBlockIoTune(disk: target, restored) }
            }
            try removeThrottleRecord(place)
            logger.notice(
                "restored \(target)'s write limits after the pivot",
                metadata: [
                    "vm.name": "\(domain.name)", "disk.target": "\(target)",
                    "iotune.write_bytes_sec": "\(restored[BlockIoTune.writeBytesPerSecond])",
                    "iotune.total_bytes_sec": "\(restored[BlockIoTune.totalBytesPerSecond])",
                ])
            return nil
        } catch {
            if let state = try? await libvirt({ domain throws(LibvirtError) in try domain.state() }), !state.isActive {
                // A live limit ends with the running domain: nothing is left to set back.
                try? removeThrottleRecord(place)
                return nil
            }
            let original = record.original
            return failure(
                .commit, disks: [target],
                message: "the write limit set on the disk for the pivot could not be set back (write_bytes_sec "
                    + "\(original[BlockIoTune.writeBytesPerSecond]), total_bytes_sec "
                    + "\(original[BlockIoTune.totalBytesPerSecond]) before); "
                    + "\(Self.throttleRecordPath(forOverlay: place.overlay)) keeps the limits from before "
                    + "and the next release sets them back (by hand: virsh blkdeviotune \(domain.name) \(target) --live)",
                cause: error)
        }
    }
}
