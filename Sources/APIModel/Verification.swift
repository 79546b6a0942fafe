import Foundation

/// The last verification of a backup: when it ran and whether every stored disk and file read
/// back as its manifest says, or the first problem it found.
///
/// Serialised as `{"verified": "...", "ok": true}` or, for a backup that failed,
/// `{"verified": "...", "ok": false, "problem": {"disk": "vda", "offset": 3145728, "message": "..."}}`.
public struct Verification: Codable, Sendable, Equatable {
    /// When the verification finished.
    public var verified: Date
    /// Whether the backup read back as its manifest says.
    public var ok: Bool
    /// The first problem found; `nil` when `ok`.
    public var problem: VerificationProblem?
    /// The task that verified it, when one did.
    public var task: String?

    public init(verified: Date, ok: Bool, problem: VerificationProblem? = nil, task: String? = nil) {
        self.verified = verified
        self.ok = ok
        self.problem = problem
        self.task = task
    }

    /// A verification that found nothing wrong.
    public static func passed(at date: Date, task: String? = nil) -> Verification {
        Verification(verified: date, ok: true, task: task)
    }

    /// A verification that found `problem`.
    public static func failed(_ problem: VerificationProblem, at date: Date, task: String? = nil) -> Verification {
        Verification(verified: date, ok: false, problem: problem, task: task)
    }
}

/// What a verification found wrong first, and where.
public struct VerificationProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The disk (target device, `vda`) it concerns, when it concerns one.
    public var disk: String?
    /// The file (`nvram.fd`, `vda.index`, `manifest.json`) it concerns, when it concerns one
    /// that is not a disk's image.
    public var file: String?
    /// The first byte of the chunk that reads back wrong, in the disk's guest-visible content.
    public var offset: UInt64?
    /// What is wrong, in one line.
    public var message: String

    public init(disk: String? = nil, file: String? = nil, offset: UInt64? = nil, message: String) {
        self.disk = disk
        self.file = file
        self.offset = offset
        self.message = message
    }

    /// `disk vda, offset 3145728: ...`: the message, after the disk and offset it does not name.
    public var description: String {
        var place: [String] = []
        if let disk, !message.contains("disk \(disk)") { place.append("disk \(disk)") }
        if let file, !message.contains(file) { place.append("file \(file)") }
        if let offset, !message.contains("offset \(offset)") { place.append("offset \(offset)") }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}
