import Foundation
import Libvirt
import Targets

extension LiveBackupEffects {
    /// Saves the domain's UEFI NVRAM and TPM state beside its disks, with their digests; a file
    /// the domain names but has not made yet (a domain never started) is left out, logged.
    func saveStateFiles(into writer: any BackupWriter) async throws -> [ManifestFile] {
        let files: DomainXML.StateFiles
        do {
            files = try DomainXML.stateFiles(fromDomainXML: context.domainXML)
        } catch {
            throw EngineError(.internal, "cannot read the domain XML: \(error)", step: .stream, vm: vm, cause: error)
        }
        var wanted: [(ManifestFile.Role, String, String)] = []
        if let nvram = files.nvram { wanted.append((.nvram, BackupFiles.nvram, nvram)) }
        if let tpm = files.tpmStatePath(uuid: context.plan.vmUUID) {
            wanted.append((.tpmState, BackupFiles.tpmState, tpm))
        }
        var saved: [ManifestFile] = []
        for (role, name, source) in wanted {
            let contents = try await context.executor.run { FileManager.default.contents(atPath: source) }
            guard let contents else {
                context.logger.notice(
                    "state file not saved: it does not exist (yet)",
                    metadata: ["vm.name": "\(vm)", "file.role": "\(role.rawValue)", "file.source": "\(source)"])
                continue
            }
            try await writer.writeFile(named: name, contents: Array(contents))
            saved.append(
                ManifestFile(
                    role: role, file: name, size: UInt64(contents.count),
                    sha256: ChunkDigest(hashing: Array(contents)).hex, source: source))
        }
        return saved
    }
}
