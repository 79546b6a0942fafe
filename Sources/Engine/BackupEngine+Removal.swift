import Foundation
import Libvirt

/// Removing what a restore, an instant copy or a drill made: the one way each is done.
extension BackupEngine {
    /// Destroys the domain with `uuid` if it runs and undefines it with the NVRAM and TPM state it
    /// owns. A domain libvirt no longer has is gone already: nothing to do.
    func removeDomain(uuid: String) async throws {
        let uri = settings.libvirtURI
        try await executor.run {
            let connection = try LibvirtConnection(uri: uri)
            guard let domain = try? connection.lookupDomain(uuid) else { return }
            if try domain.state().isActive { try domain.destroy() }
            try domain.undefineRemovingOwnedState()
        }
    }

    /// Removes each file at `paths` that is there, in order; never throws.
    func removeFiles(_ paths: [String]) async {
        for path in paths {
            _ = try? await executor.run { try FileManager.default.removeItem(atPath: path) }
        }
    }
}
