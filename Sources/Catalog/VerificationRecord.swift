import APIModel
import Foundation
import GRDB

/// A row of the `verification` table: the last verification of one backup.
struct VerificationRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "verification"

    var vmUUID: String
    var backupID: String
    /// The target holding the backup: a rebuild of that target drops the rows of backups it no
    /// longer finds.
    var target: String
    var verified: Date
    var ok: Bool
    var problemDisk: String?
    var problemFile: String?
    var problemOffset: UInt64?
    var problemMessage: String?
    var taskID: String?

    enum CodingKeys: String, CodingKey {
        case vmUUID = "vm_uuid"
        case backupID = "backup_id"
        case target, verified, ok
        case problemDisk = "problem_disk"
        case problemFile = "problem_file"
        case problemOffset = "problem_offset"
        case problemMessage = "problem_message"
        case taskID = "task_id"
    }

    enum Columns {
        static let vmUUID = Column(CodingKeys.vmUUID)
        static let backupID = Column(CodingKeys.backupID)
        static let target = Column(CodingKeys.target)
    }

    init(_ verification: Verification, vmUUID: String, backupID: String, target: String) {
        self.vmUUID = vmUUID
        self.backupID = backupID
        self.target = target
        self.verified = verification.verified
        self.ok = verification.ok
        self.problemDisk = verification.problem?.disk
        self.problemFile = verification.problem?.file
        self.problemOffset = verification.problem?.offset
        self.problemMessage = verification.problem?.message
        self.taskID = verification.task
    }

    /// The row's primary key.
    static func key(vmUUID: String, backupID: String) -> [String: (any DatabaseValueConvertible)?] {
        [CodingKeys.vmUUID.rawValue: vmUUID, CodingKeys.backupID.rawValue: backupID]
    }

    /// The verification as the catalog's callers see it. A failed row without a message (written
    /// by hand) still reads as failed.
    var verification: Verification {
        let problem =
            ok
            ? nil
            : VerificationProblem(
                disk: problemDisk, file: problemFile, offset: problemOffset,
                message: problemMessage ?? "the verification failed")
        return Verification(verified: verified, ok: ok, problem: problem, task: taskID)
    }
}

extension BackupRecord {
    /// The scope a backup row's verification is read under.
    static let verificationKey = "verification"

    /// A backup's last verification: the `verification` row with its VM UUID and id.
    static let verification = hasOne(
        VerificationRecord.self, key: verificationKey,
        using: ForeignKey(
            [VerificationRecord.CodingKeys.vmUUID.rawValue, VerificationRecord.CodingKeys.backupID.rawValue],
            to: [CodingKeys.vmUUID.rawValue, CodingKeys.id.rawValue]))
}
