import Synchronization

/// The VMs whose backups a delete or a prune is changing right now: one at a time per VM, since a
/// merge reads and rewrites several backups of a chain, and a second delete must not remove one
/// of them meanwhile.
final class ChainEdits: Sendable {
    private let editing = Mutex<Set<String>>([])

    /// Marks the VM's backups as being changed, or throws `vm_busy` when they already are.
    func begin(vmUUID: String, vmName: String) throws(EngineError) {
        guard editing.withLock({ $0.insert(vmUUID).inserted }) else {
            throw EngineError(
                .vmBusy, "backups of VM \(vmName) are being deleted or pruned already; try again once that is done")
        }
    }

    /// Whether a delete or a prune is changing the VM's backups now.
    func isEditing(vmUUID: String) -> Bool {
        editing.withLock { $0.contains(vmUUID) }
    }

    /// Ends what ``begin(vmUUID:vmName:)`` began.
    func end(vmUUID: String) {
        _ = editing.withLock { $0.remove(vmUUID) }
    }
}
