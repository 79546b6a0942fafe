import APIModel
import GRDB

/// A failure of the backup catalog: what was attempted and why, with a code a caller can switch
/// over.
///
/// Each catalog operation reports its failures, SQLite's included, as this one type, so a caller
/// sees one line such as `cannot rename backup 20261122T013000Z-3f9a of VM 8ab6…: no such backup`.
public struct CatalogError: APIErrorConvertible, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The database file could not be created, opened or made private.
        case cannotOpen = "cannot_open"
        /// The database was written by a newer version of vmbackupd; it is left as it is.
        case schemaTooNew = "schema_too_new"
        /// No backup (or task) by that id is in the catalog.
        case notFound = "not_found"
        /// The same backup (VM UUID and id) was given twice, or is already recorded on another
        /// target.
        case duplicateBackup = "duplicate_backup"
        /// A row could not be read back: a manifest or a value that this version does not know.
        case unreadableRow = "unreadable_row"
        /// The task that asked was cancelled before the database was reached.
        case cancelled = "cancelled"
        /// SQLite reported an error.
        case database = "database"
    }

    public var code: Code
    /// What was attempted, as a verb phrase: `open catalog /var/lib/vmbackup/catalog.sqlite`,
    /// `record backup 20261122T013000Z-3f9a of VM 8ab6…`.
    public var operation: String
    /// Why it failed.
    public var reason: String

    public init(_ code: Code, _ operation: String, reason: String) {
        self.code = code
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "cannot \(operation): \(reason)" }

    /// The error as the socket API reports it: `backup_not_found` for a missing backup,
    /// `internal` for everything else.
    public var apiError: APIErrorInfo {
        APIErrorInfo(code == .notFound ? .backupNotFound : .internal, description)
    }

    /// `error` as a catalog error of `operation`: catalog errors pass through unchanged,
    /// cancellation and SQLite errors are wrapped.
    static func wrapping(_ error: any Error, operation: String) -> CatalogError {
        switch error {
        case let error as CatalogError:
            error
        case is CancellationError:
            CatalogError(.cancelled, operation, reason: "the task was cancelled")
        case let error as DatabaseError:
            CatalogError(
                .database, operation, reason: "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
            )
        default:
            CatalogError(.database, operation, reason: String(describing: error))
        }
    }
}
