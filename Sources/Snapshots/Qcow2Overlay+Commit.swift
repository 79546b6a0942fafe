import Libvirt
import Logging

extension Qcow2Overlay {
    /// How often the block job is polled while the commit copies.
    static let pollInterval: Duration = .milliseconds(100)
    /// How many times a pivot is tried while libvirt says the job is not ready yet.
    static let pivotAttempts = 20

    /// Starts (or resumes waiting for) the active commit, waits until it is ready and pivots, all
    /// within `commitTimeout`; on timeout or a failed pivot the job is aborted and the disk stays
    /// on the overlay.
    func commitAndPivot(_ place: OverlayPlace) async throws {
        let deadline = ContinuousClock.now + commitTimeout
        try await startCommit(place)
        guard try await waitUntilReady(place, deadline: deadline) else { return }
        try await pivot(place, deadline: deadline)
    }

    /// Starts the active commit, or adopts one an earlier release left running.
    private func startCommit(_ place: OverlayPlace) async throws {
        let target = place.target
        let running = try await call(.commit, place) { domain throws(LibvirtError) in
            try domain.blockJobInfo(disk: target)
        }
        guard let running else {
            try await call(.commit, place) { domain throws(LibvirtError) in try domain.blockCommitActive(disk: target) }
            return
        }
        guard running.isActiveCommit else {
            throw failure(
                .commit, disks: [target],
                message: "another block job (type \(running.type)) runs on the disk; overlay \(place.overlay) was kept")
        }
    }

    /// Polls the job until it is ready to pivot. Returns `false` if the disk is already back on its
    /// original image (the job was pivoted by someone else).
    private func waitUntilReady(_ place: OverlayPlace, deadline: ContinuousClock.Instant) async throws -> Bool {
        let target = place.target
        while true {
            let job = try await call(.commit, place) { domain throws(LibvirtError) in
                try domain.blockJobInfo(disk: target)
            }
            guard let job else {
                if try await liveSource(of: place, step: .commit) == place.original { return false }
                throw failure(
                    .commit, disks: [target],
                    message: "the block commit ended before it could be pivoted; the VM still runs on overlay "
                        + "\(place.overlay), which holds data and was kept")
            }
            if job.isReady { return true }
            guard ContinuousClock.now < deadline else {
                throw await abortCommit(place, step: .commit, reason: "was not ready after \(commitTimeout)")
            }
            await sleepIgnoringCancellation(Self.pollInterval)
        }
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
    private func abortCommit(_ place: OverlayPlace, step: SnapshotError.Step, reason: String) async -> SnapshotError {
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
