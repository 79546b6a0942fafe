import Foundation
import Libvirt
import Logging

extension Qcow2Overlay {
    /// Moves every disk in `disks` onto a new overlay with one atomic external disk-only snapshot;
    /// all other disks of the domain are left alone. Does not quiesce: the caller freezes the guest.
    ///
    /// All or nothing: when it throws, the overlays it created are removed and the domain runs on
    /// its original images.
    public func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        guard !disks.isEmpty else { return [] }
        let overlays = try await plannedOverlays(for: disks, backupID: backupID)
        let domainDisks = overlays.domainDisks
        let xml = Self.snapshotXML(
            name: "vmbackup-\(backupID)", domainDisks: domainDisks, overlays: overlays.byTarget)
        let targets = disks.map(\.target)
        logger.info(
            "creating qcow2 overlays",
            metadata: [
                "vm.name": "\(domain.name)", "backup.id": "\(backupID)",
                "disk.targets": "\(targets.joined(separator: ","))",
            ])
        do {
            try await libvirt { domain throws(LibvirtError) in
                try domain.createSnapshot(xml: xml, diskOnly: true, atomic: true, noMetadata: true)
            }
        } catch let error as LibvirtError where error.isConnectionLost {
            // The reply was lost: the snapshot may have been taken. Asked again over the new
            // connection, the live XML says which; it is never created a second time.
            return try await afterLostReply(error, disks: disks, overlays: overlays.byTarget)
        } catch {
            let leftovers = Self.removeFiles(Array(overlays.byTarget.values))
            let kept = leftovers.isEmpty ? "" : "; could not remove \(leftovers.joined(separator: ", "))"
            throw failure(
                .snapshot, disks: targets,
                message: "external disk-only snapshot failed, the domain stays on its images\(kept)",
                cause: error)
        }
        return disks.map { disk in
            TakenSnapshot(
                disk: disk,
                source: BackupSource(target: disk.target, path: disk.sourcePath, format: disk.format),
                artifact: overlays.byTarget[disk.target])
        }
    }

    /// Checks each disk against the live domain XML and picks its overlay path; nothing is created.
    private func plannedOverlays(
        for disks: [SelectedDisk], backupID: String
    ) async throws -> (domainDisks: [DomainDisk], byTarget: [String: String]) {
        let targets = disks.map(\.target)
        guard !backupID.isEmpty, !backupID.contains("/") else {
            throw failure(.snapshot, disks: targets, message: "backup id '\(backupID)' cannot be part of a file name")
        }
        let domainDisks: [DomainDisk]
        do {
            domainDisks = try await liveDisks()
        } catch {
            throw failure(.snapshot, disks: targets, message: "could not read the domain XML", cause: error)
        }
        var byTarget: [String: String] = [:]
        for disk in disks {
            guard disk.kind == .file else {
                throw failure(
                    .snapshot, disks: [disk.target], message: "is a block device; qcow2 overlays need a file disk")
            }
            guard byTarget[disk.target] == nil else {
                throw failure(.snapshot, disks: [disk.target], message: "is selected twice")
            }
            guard let live = domainDisks.first(where: { $0.target == disk.target }) else {
                throw failure(.snapshot, disks: [disk.target], message: "is not a disk of the domain")
            }
            guard live.sourcePath == disk.sourcePath else {
                throw failure(
                    .snapshot, disks: [disk.target],
                    message: "runs on \(live.sourcePath ?? "no image"), not on \(disk.sourcePath) as planned")
            }
            let overlay = Self.overlayPath(for: disk.sourcePath, backupID: backupID)
            guard !FileManager.default.fileExists(atPath: overlay) else {
                throw failure(
                    .snapshot, disks: [disk.target],
                    message: "overlay \(overlay) already exists (left by an earlier backup?); it was not touched")
            }
            byTarget[disk.target] = overlay
        }
        return (domainDisks, byTarget)
    }

    /// Finds out whether a snapshot whose reply was lost with the connection was taken: every disk
    /// runs on its overlay (it was: the snapshots are returned), none does (it was not: the
    /// overlays are removed and `error` thrown). Anything else keeps every file and throws.
    private func afterLostReply(
        _ error: LibvirtError, disks: [SelectedDisk], overlays: [String: String]
    ) async throws -> [TakenSnapshot] {
        let targets = disks.map(\.target)
        let live: [DomainDisk]
        do {
            live = try await liveDisks()
        } catch {
            throw failure(
                .snapshot, disks: targets,
                message: "the connection to libvirtd was lost while the snapshot was taken, and whether it was "
                    + "cannot be read now; overlays \(overlays.values.sorted().joined(separator: ", ")) were kept",
                cause: error)
        }
        let onOverlay = disks.filter { disk in
            live.first { $0.target == disk.target }?.sourcePath == overlays[disk.target]
        }
        if onOverlay.count == disks.count {
            logger.notice(
                "the snapshot was taken though its reply was lost with the libvirt connection",
                metadata: ["vm.name": "\(domain.name)", "disk.targets": "\(targets.joined(separator: ","))"])
            return disks.map { disk in
                TakenSnapshot(
                    disk: disk,
                    source: BackupSource(target: disk.target, path: disk.sourcePath, format: disk.format),
                    artifact: overlays[disk.target])
            }
        }
        guard onOverlay.isEmpty else {
            throw failure(
                .snapshot, disks: targets,
                message: "the connection to libvirtd was lost while the snapshot was taken and only disks "
                    + "\(onOverlay.map(\.target).joined(separator: ", ")) run on their overlays; every overlay was kept",
                cause: error)
        }
        let leftovers = Self.removeFiles(Array(overlays.values))
        let kept = leftovers.isEmpty ? "" : "; could not remove \(leftovers.joined(separator: ", "))"
        throw failure(
            .snapshot, disks: targets,
            message: "the connection to libvirtd was lost and the snapshot was not taken; the domain stays on its "
                + "images\(kept)", cause: error)
    }

    /// Removes the files that exist; returns the paths it could not remove.
    static func removeFiles(_ paths: [String]) -> [String] {
        paths.filter { path in
            guard FileManager.default.fileExists(atPath: path) else { return false }
            do {
                try FileManager.default.removeItem(atPath: path)
                return false
            } catch {
                return true
            }
        }
    }

    func failure(
        _ step: SnapshotError.Step, disks: [String], message: String, cause: (any Error)? = nil
    ) -> SnapshotError {
        SnapshotError(step, vm: domain.name, disks: disks, message: message, cause: cause)
    }
}
