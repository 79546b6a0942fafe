import APIModel
import Foundation

/// The body of `PUT /v1/vms/{vm}/backups/{id}`: at least one field to change.
extension BackupUpdate: RequestBody {
    static var emptyBody: BackupUpdate { BackupUpdate() }

    /// Reads the body and refuses one that changes nothing, empty or `{}`, with `bad_request`.
    static func decodeChange(_ body: Data) throws(APIErrorInfo) -> BackupUpdate {
        let update = try decodeBody(body)
        guard !update.isEmpty else {
            throw APIErrorInfo(.badRequest, "nothing to change: give name, description or protected")
        }
        return update
    }
}
