import Foundation

/// Whose work a `.partial-<id>` or `.deleting-<id>` folder on a target is: the `owner.json` in
/// it, written when the folder is made (a backup begun, a delete's rename done), so that a
/// daemon sharing the target (another host on the same NFS mount) can tell it is not its own.
///
/// ```json
/// {"daemon":"3f1c…","host":"kvm07","job":"7d0e…","pid":4242,"since":"2026-11-22T01:30:00Z"}
/// ```
///
/// A published backup never carries it: `PartialBackup.commit` removes it before the rename.
public struct WorkOwner: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The file's name inside the folder.
    public static let fileName = "owner.json"

    public var host: String
    public var daemonID: String
    /// The task id of the backup job; `nil` for a delete.
    public var job: String?
    public var pid: Int32
    public var since: Date

    enum CodingKeys: String, CodingKey {
        case host
        case daemonID = "daemon"
        case job, pid, since
    }

    public init(_ identity: DaemonIdentity, job: String?, pid: Int32 = getpid(), since: Date = Date()) {
        self.host = identity.host
        self.daemonID = identity.daemonID
        self.job = job
        self.pid = pid
        self.since = since
    }

    /// The daemon that did the work.
    public var identity: DaemonIdentity { DaemonIdentity(host: host, daemonID: daemonID) }

    public var description: String {
        "daemon \(daemonID) on host \(host)" + (job.map { ", job \($0)" } ?? "") + ", pid \(pid)"
    }

    /// Writes `owner.json` into `folder` and fsyncs it.
    func write(into folder: String) throws(TargetError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw TargetError("encode owner for", path: folder, reason: "\(error)")
        }
        try DurableFiles.writeFile(data, to: folder + "/" + Self.fileName)
    }

    /// The owner recorded in `folder`, or `nil` when there is no `owner.json` or it cannot be
    /// read (a folder made by an older version, or cut short before the file was written).
    static func read(in folder: String) -> WorkOwner? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(WorkOwner.self, from: data)
    }
}
