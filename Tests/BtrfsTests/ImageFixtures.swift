import Foundation

/// Disk images with known content for the snapshot tests: raw files written directly, qcow2
/// images written and read through QEMU's own tools.
enum ImageFixtures {
    static let qemuImg = "/usr/bin/qemu-img"
    static let qemuIO = "/usr/bin/qemu-io"
    static var hasQemuTools: Bool {
        FileManager.default.isExecutableFile(atPath: qemuImg) && FileManager.default.isExecutableFile(atPath: qemuIO)
    }

    /// Writes a raw image of `count` bytes, each `byte`, replacing the file's content in place.
    static func writeRaw(_ path: String, byte: UInt8, count: Int = 1 << 20) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(repeating: byte, count: count))
        try handle.synchronize()
    }

    static func readRaw(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Creates a 4 MiB qcow2 image whose first MiB holds `pattern`.
    static func createQcow2(_ path: String, pattern: UInt8) throws {
        try run(qemuImg, ["create", "-q", "-f", "qcow2", path, "4M"])
        try writeQcow2(path, pattern: pattern)
    }

    /// Overwrites the first guest MiB of a qcow2 image with `pattern`.
    static func writeQcow2(_ path: String, pattern: UInt8) throws {
        try run(qemuIO, ["-f", "qcow2", "-c", "write -P \(pattern) 0 1M", path])
    }

    /// Whether the first guest MiB of the qcow2 image holds `pattern`, read without writing.
    static func qcow2Holds(_ path: String, pattern: UInt8) throws -> Bool {
        try status(qemuIO, ["-r", "-f", "qcow2", "-c", "read -P \(pattern) 0 1M", path]) == 0
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let code = try status(executable, arguments)
        guard code == 0 else {
            throw ScratchBtrfs.Failure(command: [executable] + arguments, status: code)
        }
    }

    /// Runs a tool with its output discarded and returns its exit status.
    static func status(_ executable: String, _ arguments: [String]) throws -> Int32 {
        try output(executable, arguments).status
    }

    static func output(_ executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension ScratchBtrfs {
    /// The subvolumes of the whole filesystem whose name carries the snapshot marker, as
    /// `btrfs subvolume list` reports them (relative to the top level).
    func markedSubvolumes() throws -> [String] {
        let listing = try ImageFixtures.output("/usr/bin/btrfs", ["subvolume", "list", mountPoint])
        guard listing.status == 0 else {
            throw Failure(command: ["btrfs", "subvolume", "list", mountPoint], status: listing.status)
        }
        return listing.text.split(separator: "\n").compactMap { line in
            guard let path = line.split(separator: " ").last, path.contains(".vmbackup-") else { return nil }
            return String(path)
        }
    }
}
