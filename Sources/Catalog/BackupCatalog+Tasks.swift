import Foundation
import GRDB

extension BackupCatalog {
    /// Saves `task`, replacing the row of a task with the same id.
    public func saveTask(_ task: CatalogTask) async throws(CatalogError) {
        try await write("save task \(task.id)") { db in
            try TaskRecord(task).save(db)
        }
    }

    /// The `limit` most recently created tasks, newest first.
    public func tasks(limit: Int) async throws(CatalogError) -> [CatalogTask] {
        try await read("list tasks") { db in
            try TaskRecord.order(TaskRecord.Columns.created.desc, TaskRecord.Columns.id.desc).limit(max(0, limit))
                .fetchAll(db).map { record throws(CatalogError) in try record.catalogTask() }
        }
    }

    /// Each VM's newest finished task of `kind` (by when it finished), one per VM UUID.
    public func lastFinishedTasks(kind: TaskKind) async throws(CatalogError) -> [CatalogTask] {
        try await read("list each VM's last \(kind) task") { db in
            // SQLite gives the bare columns of the row that holds the MAX.
            try TaskRecord.fetchAll(
                db,
                sql: """
                    SELECT *, MAX(finished) FROM task
                    WHERE kind = ? AND finished IS NOT NULL AND vm_uuid IS NOT NULL GROUP BY vm_uuid
                    """, arguments: [kind.rawValue]
            ).map { record throws(CatalogError) in try record.catalogTask() }
        }
    }

    /// One task, or `nil` when the catalog has none by that id.
    public func task(id: String) async throws(CatalogError) -> CatalogTask? {
        try await read("read task \(id)") { db in
            try TaskRecord.fetchOne(db, key: id)?.catalogTask()
        }
    }

    /// Removes the tasks that finished before `date`, so the table does not grow without end;
    /// returns how many.
    @discardableResult
    public func removeTasks(finishedBefore date: Date) async throws(CatalogError) -> Int {
        try await write("remove tasks finished before \(date)") { db in
            try TaskRecord.filter(TaskRecord.Columns.finished < date).deleteAll(db)
        }
    }
}
