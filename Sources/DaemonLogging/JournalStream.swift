#if canImport(Glibc)
    import Glibc
#endif

/// The stream systemd connects a service's stderr to when its output goes to the journal:
/// `$JOURNAL_STREAM` holds its device and inode numbers as `DEV:INO`. When fd 2 is that very
/// stream, the daemon logs for journald; when it was redirected elsewhere (a file, a terminal,
/// a pipe), it does not.
public struct JournalStream: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// Parses `DEV:INO`, both decimal; `nil` for anything else.
    public init?(environmentValue: String) {
        let parts = environmentValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        self.init(device: device, inode: inode)
    }

    /// The stream behind `descriptor` (Wraps `fstat`); `nil` when it cannot be read.
    public static func of(descriptor: Int32) -> JournalStream? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return JournalStream(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The format for a process whose stderr is `descriptor`: ``LogLineFormat/journal`` when
    /// `journalStream` (the value of `$JOURNAL_STREAM`) names it, else ``LogLineFormat/console``.
    public static func format(forDescriptor descriptor: Int32, journalStream: String?) -> LogLineFormat {
        guard let journalStream, let expected = JournalStream(environmentValue: journalStream),
            expected == JournalStream.of(descriptor: descriptor)
        else { return .console }
        return .journal
    }
}
