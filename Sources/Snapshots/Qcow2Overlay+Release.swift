import Foundation
import Libvirt
import Logging

extension Qcow2Overlay {
    /// Commits the overlay back into the original image, pivots the disk onto it, confirms the
    /// domain runs on the original again, and only then deletes the overlay.
    ///
    /// Runs to the end even when the calling task is cancelled. Safe to call again after a failure:
    /// a commit still running is waited for, a disk already back on its image only needs the
    /// overlay removed. The overlay is never deleted while the domain may still use it.
    public func release(_ snapshot: TakenSnapshot) async throws {
        guard let overlay = snapshot.artifact else { return }
        let target = snapshot.disk.target
        let original = snapshot.source.path
        let metadata: Logger.Metadata = [
            "vm.name": "\(domain.name)", "disk.target": "\(target)", "overlay.path": "\(overlay)",
        ]
        let place = OverlayPlace(target: target, overlay: overlay, original: original)

        let state = try await call(.commit, place) { domain throws(LibvirtError) in try domain.state() }
        try await settleThrottleRecord(place, domainIsActive: state.isActive)
        guard state.isActive else {
            // A domain that went down after its disk was pivoted back: the overlay is an orphan.
            guard try await definitionNames(place.overlay) else {
                try removeOverlay(place, metadata: metadata)
                return
            }
            throw notRunning(state, step: .commit, place: place, cause: nil)
        }
        let current = try await liveSource(of: place, step: .commit)
        if current != original {
            guard current == overlay else {
                throw failure(
                    .verify, disks: [target],
                    message: "runs on \(current ?? "no image"), neither on overlay \(overlay) nor on \(original); "
                        + "the overlay was kept")
            }
            logger.info("committing qcow2 overlay", metadata: metadata)
            try await commitAndPivot(place)
        }
        try await confirmBackOnOriginal(place)
        try removeOverlay(place, metadata: metadata)
    }

    /// Deletes the overlay file, once no definition of the domain names it.
    private func removeOverlay(_ place: OverlayPlace, metadata: Logger.Metadata) throws {
        logger.info("removing qcow2 overlay", metadata: metadata)
        do {
            if FileManager.default.fileExists(atPath: place.overlay) {
                try FileManager.default.removeItem(atPath: place.overlay)
            }
        } catch {
            throw failure(
                .cleanup, disks: [place.target],
                message: "the disk is back on \(place.original) but overlay \(place.overlay) could not be deleted",
                cause: error)
        }
    }

    /// Whether the domain's live or persistent definition names `image` as a disk's source.
    private func definitionNames(_ image: String) async throws -> Bool {
        let (live, persistent) = try await libvirt { domain throws(LibvirtError) in
            (try domain.xmlDescription(), try? domain.xmlDescription(inactive: true))
        }
        let disks =
            try DomainXML.disks(fromDomainXML: live) + (try persistent.map(DomainXML.disks(fromDomainXML:)) ?? [])
        return disks.contains { $0.sourcePath == image }
    }

    /// Checks the live and the persistent definition: the disk runs on its original image and no
    /// disk names the overlay any more.
    private func confirmBackOnOriginal(_ place: OverlayPlace) async throws {
        let live = try await liveSource(of: place, step: .verify)
        guard live == place.original else {
            throw failure(
                .verify, disks: [place.target],
                message: "runs on \(live ?? "no image") after the pivot, not on \(place.original); "
                    + "overlay \(place.overlay) was kept")
        }
        let xml = try await call(.verify, place) { domain throws(LibvirtError) in
            try domain.xmlDescription(inactive: true)
        }
        let persistent = try DomainXML.disks(fromDomainXML: xml)
        if let stale = persistent.first(where: { $0.sourcePath == place.overlay }) {
            throw failure(
                .verify, disks: [place.target],
                message: "the persistent definition still names overlay \(place.overlay) for disk \(stale.target); "
                    + "the overlay was kept")
        }
    }

    /// The image the disk runs on now, from the live domain XML.
    func liveSource(of place: OverlayPlace, step: SnapshotError.Step) async throws -> String? {
        let xml = try await call(step, place) { domain throws(LibvirtError) in try domain.xmlDescription() }
        let disks = try DomainXML.disks(fromDomainXML: xml)
        guard let disk = disks.first(where: { $0.target == place.target }) else {
            throw failure(
                step, disks: [place.target],
                message: "is no longer a disk of the domain; overlay \(place.overlay) was kept")
        }
        return disk.sourcePath
    }

    /// Runs a libvirt call for one step of the release; a failure because the domain is no longer
    /// running says so and names the overlay that holds the disk's data.
    func call<T: Sendable>(
        _ step: SnapshotError.Step, _ place: OverlayPlace,
        _ body: @escaping @Sendable (Domain) throws(LibvirtError) -> T
    ) async throws -> T {
        do {
            return try await libvirt(body)
        } catch {
            throw await explain(error, step: step, place: place)
        }
    }

    /// Turns an error of a release step into a `SnapshotError`, saying so when the domain is down.
    func explain(_ error: any Error, step: SnapshotError.Step, place: OverlayPlace) async -> SnapshotError {
        if let down = await domainDown(error, step: step, place: place) { return down }
        return failure(
            step, disks: [place.target],
            message: "the disk may still run on overlay \(place.overlay), which was kept", cause: error)
    }

    /// The error to report when `error` came from a domain that is no longer running, or from a
    /// connection to libvirtd that was lost (nothing more is done in this step then: `release`
    /// is repeated once libvirtd is back); `nil` if the domain runs and libvirtd answers.
    func domainDown(_ error: any Error, step: SnapshotError.Step, place: OverlayPlace) async -> SnapshotError? {
        if let lost = error as? LibvirtError, lost.isConnectionLost {
            return failure(
                step, disks: [place.target],
                message: "the connection to libvirtd was lost; the disk may still run on overlay \(place.overlay), "
                    + "which was kept", cause: lost)
        }
        let state = try? await libvirt { domain throws(LibvirtError) in try domain.state() }
        guard let state, !state.isActive else { return nil }
        return notRunning(state, step: step, place: place, cause: error)
    }

    private func notRunning(
        _ state: DomainState, step: SnapshotError.Step, place: OverlayPlace, cause: (any Error)?
    ) -> SnapshotError {
        failure(
            step, disks: [place.target],
            message: "the VM is not running (\(state)), so the overlay cannot be committed; overlay "
                + "\(place.overlay) holds the disk's writes since the snapshot and was kept",
            cause: cause)
    }
}

/// One disk being released: its target, the overlay it runs on, the image it returns to.
struct OverlayPlace: Sendable {
    var target: String
    var overlay: String
    var original: String
}
