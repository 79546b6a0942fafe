import APIModel
import Foundation
import GRDB

/// A row of the `task` table.
struct TaskRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "task"

    var id: String
    var kind: String
    var vmName: String
    var vmUUID: String?
    var state: String
    var created: Date
    var started: Date?
    var finished: Date?
    var doneBytes: UInt64
    var totalBytes: UInt64
    var errorCode: String?
    var errorMessage: String?
    var resultBackupID: String?

    enum CodingKeys: String, CodingKey {
        case id, kind
        case vmName = "vm_name"
        case vmUUID = "vm_uuid"
        case state, created, started, finished
        case doneBytes = "done_bytes"
        case totalBytes = "total_bytes"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case resultBackupID = "result_backup_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let vmName = Column(CodingKeys.vmName)
        static let vmUUID = Column(CodingKeys.vmUUID)
        static let state = Column(CodingKeys.state)
        static let created = Column(CodingKeys.created)
        static let started = Column(CodingKeys.started)
        static let finished = Column(CodingKeys.finished)
        static let doneBytes = Column(CodingKeys.doneBytes)
        static let totalBytes = Column(CodingKeys.totalBytes)
        static let errorCode = Column(CodingKeys.errorCode)
        static let errorMessage = Column(CodingKeys.errorMessage)
        static let resultBackupID = Column(CodingKeys.resultBackupID)
    }

    init(_ task: CatalogTask) {
        id = task.id
        kind = task.kind.rawValue
        vmName = task.vmName
        vmUUID = task.vmUUID
        state = task.state.rawValue
        created = task.created
        started = task.started
        finished = task.finished
        doneBytes = task.progress.doneBytes
        totalBytes = task.progress.totalBytes
        errorCode = task.error?.code.rawValue
        errorMessage = task.error?.message
        resultBackupID = task.resultBackupID
    }

    /// The row as the catalog's callers see it. A state this version does not know makes the
    /// row unreadable; an unknown error code reads as `internal`, its message kept.
    func catalogTask() throws(CatalogError) -> CatalogTask {
        guard let taskState = TaskState(rawValue: state) else {
            throw CatalogError(.unreadableRow, "read task \(id)", reason: "unknown state '\(state)'")
        }
        let error = errorCode.map { code in
            APIErrorInfo(APIErrorCode(rawValue: code) ?? .internal, errorMessage ?? code)
        }
        return CatalogTask(
            id: id, kind: TaskKind(rawValue: kind), vmName: vmName, vmUUID: vmUUID, state: taskState, created: created,
            started: started, finished: finished, progress: TaskProgress(doneBytes: doneBytes, totalBytes: totalBytes),
            error: error, resultBackupID: resultBackupID)
    }
}
