import APIModel
import Catalog

/// Naming a backup in a request: by its id, its name, or `latest` (``BackupReference``), the same
/// for every route and command that names one.
extension BackupEngine {
    /// The backup of `vm` that `reference` names: the backup with that id; else, for `latest`,
    /// the VM's newest backup; else the one backup with that name. Every request that names a
    /// backup resolves it here, and answers with the backup's real id.
    ///
    /// Throws `vm_not_found`, `backup_not_found` (naming the VM and what was asked) or
    /// `backup_ambiguous` (listing the ids of the backups that share the name).
    func resolveBackup(vm: String, reference text: String) async throws -> CatalogBackup {
        let uuid = try await vmUUID(vm)
        let backups: [CatalogBackup]
        do {
            // An id, the common case, is one row; a name or `latest` needs the VM's backups.
            if let exact = try await catalog.backup(vmUUID: uuid, id: text) { return exact }
            backups = try await catalog.backups(vmUUID: uuid)
        } catch {
            throw EngineError(catalog: error, vm: vm)
        }
        let reference = BackupReference(text)
        do {
            return try reference.resolve(in: backups)
        } catch {
            switch error {
            case .notFound where reference.isLatest:
                throw EngineError(
                    .backupNotFound, "VM \(vm) has no backups, so none is the latest", step: .catalog, vm: vm)
            case .notFound:
                throw EngineError(
                    .backupNotFound, "VM \(vm) has no backup with the id or name \(text.debugDescription)",
                    step: .catalog, vm: vm)
            case .ambiguous(let ids):
                throw EngineError(
                    .backupAmbiguous,
                    "the name \(text.debugDescription) is ambiguous: backups \(ids.joined(separator: ", ")) "
                        + "of VM \(vm) have it; name one by its id",
                    step: .catalog, vm: vm)
            }
        }
    }

    /// Refuses, with `bad_request`, a name no backup may have: more than one line or 200
    /// characters, a NUL, or a name a request could not name it by (`latest`, or the form of a
    /// backup id). An empty name, which removes the name, is fine.
    static func checkBackupName(_ name: String, step: JobStep? = nil) throws {
        guard name.count <= 200, !name.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw EngineError(
                .badRequest, "a backup name must be one line of at most 200 characters, without NUL", step: step)
        }
        if let problem = BackupReference.unreachableName(name) {
            throw EngineError(.badRequest, problem, step: step)
        }
    }
}
