import APIModel
import Catalog
import Foundation
import Libvirt
import Logging
import Streaming

/// Instant copies after the restore: listed, kept (made independent of the target), or
/// discarded; and the backups they read, protected while they do.
extension BackupEngine {
    public func instantCopies() async throws -> [InstantCopySummary] {
        do {
            return try await catalog.instantCopies().map(Self.summary)
        } catch {
            throw EngineError(catalog: error)
        }
    }

    /// The ids of `vmUUID`'s backups that an instant copy reads: retention keeps them and delete
    /// refuses them.
    func backupsInUse(vmUUID: String) async -> [String: String] {
        let copies = (try? await catalog.instantCopies()) ?? []
        var inUse: [String: String] = [:]
        for copy in copies where copy.vmUUID == vmUUID {
            for id in copy.backupIDs { inUse[id] = copy.domainName }
        }
        return inUse
    }

    /// Destroys the copy's domain, undefines it and removes its overlays and NVRAM; the backups
    /// it read are free again.
    public func discardInstantCopy(_ name: String) async throws -> InstantCopySummary {
        let copy = try await instantCopy(named: name)
        do {
            try await removeDomain(uuid: copy.domainUUID)
        } catch {
            throw EngineError(
                .hypervisorFailed, "cannot remove VM \(copy.domainName): \(error)", step: .define, cause: error)
        }
        await removeFiles(copy.overlays.map(\.path) + copy.files)
        try await forget(copy)
        logger.info("instant copy discarded", metadata: ["vm.name": "\(copy.domainName)"])
        return Self.summary(copy)
    }

    /// Makes the copy independent of the target: each overlay pulls in what it reads from its
    /// stored image (a live block pull while the domain runs, `qemu-img rebase` while it is shut
    /// off). Afterwards the copy is an ordinary domain and the backups are free again.
    public func keepInstantCopy(_ name: String) async throws -> InstantCopySummary {
        let copy = try await instantCopy(named: name)
        let domain = try await lookup(copy.domainUUID)
        for overlay in copy.overlays {
            let running = try await executor.run { try domain.state().isActive }
            if running {
                try await pullLive(domain, disk: overlay.target, vmName: copy.domainName)
            } else {
                try await Streamer.detachOverlay(at: overlay.path)
            }
        }
        try await forget(copy)
        logger.info("instant copy kept: independent of the target", metadata: ["vm.name": "\(copy.domainName)"])
        return Self.summary(copy)
    }

    private func pullLive(_ domain: Domain, disk: String, vmName: String) async throws {
        do {
            try await executor.run { try domain.blockPull(disk: disk) }
            while try await executor.run({ try domain.blockJobInfo(disk: disk) }) != nil {
                try await Task.sleep(for: .milliseconds(200))
            }
        } catch let error as LibvirtError {
            throw EngineError(
                .hypervisorFailed, "cannot pull disk \(disk) of VM \(vmName) off its backup: \(error)", step: .define,
                cause: error)
        }
    }

    private func instantCopy(named name: String) async throws -> InstantCopy {
        let copies: [InstantCopy]
        do {
            copies = try await catalog.instantCopies()
        } catch {
            throw EngineError(catalog: error)
        }
        guard let copy = copies.first(where: { $0.domainName == name || $0.domainUUID == name.lowercased() }) else {
            let known = copies.map(\.domainName).joined(separator: ", ")
            throw EngineError(
                .notFound, "no instant copy named \(name) (there are: \(known.isEmpty ? "none" : known))")
        }
        return copy
    }

    private func forget(_ copy: InstantCopy) async throws {
        do {
            try await catalog.removeInstantCopy(domainUUID: copy.domainUUID)
        } catch {
            throw EngineError(catalog: error)
        }
    }

    static func summary(_ copy: InstantCopy) -> InstantCopySummary {
        InstantCopySummary(
            domain: copy.domainName, domainUUID: copy.domainUUID, vm: copy.vmName, vmUUID: copy.vmUUID,
            backups: copy.backupIDs.sorted(),
            overlays: Dictionary(copy.overlays.map { ($0.target, $0.path) }, uniquingKeysWith: { first, _ in first }),
            created: copy.created, drill: copy.isDrill)
    }
}
