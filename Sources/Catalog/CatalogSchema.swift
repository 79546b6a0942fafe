import GRDB

/// The catalog's tables, as an ordered list of migrations.
///
/// Migrations are applied in the order they are registered here and never change once released:
/// they name their tables and columns as literal strings, not through the records, so renaming a
/// Swift property cannot change what an old migration creates.
enum CatalogSchema {
    /// The migrator that brings a database up to this version's schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-backups-and-tasks", migrate: createBackupsAndTasks)
        migrator.registerMigration("v2-journal", migrate: createJournal)
        migrator.registerMigration("v3-journal-guest-frozen", migrate: recordGuestFrozen)
        migrator.registerMigration("v4-restore-journal", migrate: createRestoreJournal)
        migrator.registerMigration("v5-instant-copies", migrate: createInstantCopies)
        migrator.registerMigration("v6-drills", migrate: createDrills)
        migrator.registerMigration("v7-verifications", migrate: createVerifications)
        migrator.registerMigration("v8-chain-breaks", migrate: createChainBreaks)
        migrator.registerMigration("v9-pending-thaws", migrate: createPendingThaws)
        return migrator
    }

    /// Migration 1: `backup` (one row per published backup) and `task` (finished tasks).
    ///
    /// `backup.parent` has no foreign key: removing a backup leaves its incrementals in place,
    /// and the catalog shows them as roots whose parent is missing.
    private static func createBackupsAndTasks(_ db: Database) throws {
        try db.create(table: "backup") { table in
            table.column("vm_uuid", .text).notNull()
            table.column("id", .text).notNull()
            table.column("vm_name", .text).notNull()
            table.column("name", .text)
            table.column("description", .text)
            table.column("created", .datetime).notNull()
            table.column("parent", .text)
            table.column("consistency", .text).notNull()
            table.column("protected", .boolean).notNull().defaults(to: false)
            table.column("location", .text).notNull()
            table.column("target", .text).notNull().defaults(to: "default")
            table.column("manifest", .text).notNull()
            table.primaryKey(["vm_uuid", "id"])
        }
        try db.create(index: "backup_by_vm_created", on: "backup", columns: ["vm_uuid", "created"])
        try db.create(index: "backup_by_vm_parent", on: "backup", columns: ["vm_uuid", "parent"])

        try db.create(table: "task") { table in
            table.primaryKey("id", .text)
            table.column("kind", .text).notNull()
            table.column("vm_name", .text).notNull()
            table.column("vm_uuid", .text)
            table.column("state", .text).notNull()
            table.column("created", .datetime).notNull()
            table.column("started", .datetime)
            table.column("finished", .datetime)
            table.column("done_bytes", .integer).notNull().defaults(to: 0)
            table.column("total_bytes", .integer).notNull().defaults(to: 0)
            table.column("error_code", .text)
            table.column("error_message", .text)
            table.column("result_backup_id", .text)
        }
        try db.create(index: "task_by_created", on: "task", columns: ["created"])
    }

    /// Migration 2: `journal`, one row per backup job that may have left something to undo
    /// (a frozen guest, snapshots, a partial folder), its entry as JSON.
    private static func createJournal(_ db: Database) throws {
        try db.create(table: "journal") { table in
            table.primaryKey("job_id", .text)
            table.column("vm_uuid", .text).notNull()
            table.column("started", .datetime).notNull()
            table.column("entry", .text).notNull()
        }
    }

    /// Migration 4: `restore_journal`, one row per restore job that may have left a disk
    /// half-written, its entry as JSON.
    private static func createRestoreJournal(_ db: Database) throws {
        try db.create(table: "restore_journal") { table in
            table.primaryKey("job_id", .text)
            table.column("vm_uuid", .text).notNull()
            table.column("started", .datetime).notNull()
            table.column("entry", .text).notNull()
        }
    }

    /// Migration 5: `instant_copy`, one row per domain running on overlays of stored images.
    private static func createInstantCopies(_ db: Database) throws {
        try db.create(table: "instant_copy") { table in
            table.primaryKey("domain_uuid", .text)
            table.column("vm_uuid", .text).notNull()
            table.column("created", .datetime).notNull()
            table.column("copy", .text).notNull()
        }
    }

    /// Migration 6: `drill`, one row per restore drill and what it found.
    private static func createDrills(_ db: Database) throws {
        try db.create(table: "drill") { table in
            table.autoIncrementedPrimaryKey("number")
            table.column("vm_uuid", .text).notNull()
            table.column("vm_name", .text).notNull()
            table.column("backup_id", .text).notNull()
            table.column("at", .datetime).notNull()
            table.column("ok", .boolean).notNull()
            table.column("seconds_to_agent", .double)
            table.column("filesystems", .text).notNull().defaults(to: "")
            table.column("problem", .text)
        }
        try db.create(index: "drill_by_vm_at", on: "drill", columns: ["vm_uuid", "at"])
    }

    /// Migration 3: each open journal entry records whether its guest may be frozen
    /// (`guestMayBeFrozen`) apart from its phase, which now tells snapshot progress only. An
    /// entry of the version before keeps what its phase meant then.
    private static func recordGuestFrozen(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE journal
                SET entry = json_set(entry, '$.guestMayBeFrozen', json(
                    CASE WHEN json_extract(entry, '$.phase') IN ('freezing', 'snapshotting', 'snapshotted')
                    THEN 'true' ELSE 'false' END))
                WHERE json_extract(entry, '$.guestMayBeFrozen') IS NULL
                """)
    }

    /// Migration 7: `verification`, the last verification of each backup.
    ///
    /// A table of its own, keyed like `backup` but with no foreign key: a rebuild of the catalog
    /// removes and records every backup row of a target again, and the verifications must outlive
    /// that. They go with their backup when it is deleted, and a rebuild drops those of its target
    /// whose backup it no longer finds.
    private static func createVerifications(_ db: Database) throws {
        try db.create(table: "verification") { table in
            table.column("vm_uuid", .text).notNull()
            table.column("backup_id", .text).notNull()
            table.column("target", .text).notNull()
            table.column("verified", .datetime).notNull()
            table.column("ok", .boolean).notNull()
            table.column("problem_disk", .text)
            table.column("problem_file", .text)
            table.column("problem_offset", .integer)
            table.column("problem_message", .text)
            table.column("task_id", .text)
            table.primaryKey(["vm_uuid", "backup_id"])
        }
    }

    /// Migration 8: `chain_break`, per VM, why its next backup must be a full whatever level is
    /// asked (its disks were written behind the backups' back: a restore in place). Set before
    /// such a change, cleared when a full backup of the VM is published.
    private static func createChainBreaks(_ db: Database) throws {
        try db.create(table: "chain_break") { table in
            table.primaryKey("vm_uuid", .text)
            table.column("reason", .text).notNull()
            table.column("recorded", .datetime).notNull()
        }
    }

    /// Migration 9: `pending_thaw`, per VM, a guest whose filesystems may still be frozen (its
    /// agent left a freeze or a thaw unanswered). Written before the job goes on without it,
    /// removed once the agent says the guest is thawed or the domain has stopped; the daemon
    /// retries the thaw in the background meanwhile, across restarts.
    private static func createPendingThaws(_ db: Database) throws {
        try db.create(table: "pending_thaw") { table in
            table.primaryKey("vm_uuid", .text)
            table.column("vm_name", .text).notNull()
            table.column("since", .datetime).notNull()
            table.column("reason", .text).notNull()
            table.column("attempts", .integer).notNull().defaults(to: 0)
            table.column("last_attempt", .datetime)
            table.column("last_error", .text)
        }
    }
}
