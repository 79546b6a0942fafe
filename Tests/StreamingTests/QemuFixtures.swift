import Foundation
import Streaming
import Synchronization
import Testing

/// Whether QEMU's tools are installed; tests that need them are skipped otherwise.
let qemuToolsAvailable = ["qemu-nbd", "qemu-img", "qemu-io"].allSatisfy { tool in
    ["/usr/bin", "/usr/local/bin", "/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
}

/// A fresh folder under the system's temporary folder, removed when released.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/streaming-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

struct CommandFailed: Error, CustomStringConvertible {
    var description: String
}

/// Runs `argv` (no shell) and returns its standard output; throws unless it exits 0.
@discardableResult
func run(_ argv: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = argv
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailed(
            description: "\(argv.joined(separator: " ")): \(String(decoding: errorData, as: UTF8.self))")
    }
    return String(decoding: outputData, as: UTF8.self)
}

/// An image made for a test: a qcow2 written with `qemu-io`, or a sparse raw file.
enum TestImage {
    /// A qcow2 image of `size` bytes with `pattern` byte written at each of `writes` (offset, length).
    static func qcow2(at path: String, size: UInt64, writes: [(offset: UInt64, length: UInt64, pattern: UInt8)]) throws
    {
        try run(["qemu-img", "create", "-q", "-f", "qcow2", path, String(size)])
        for write in writes {
            try run(["qemu-io", "-f", "qcow2", "-c", "write -P \(write.pattern) \(write.offset) \(write.length)", path])
        }
    }

    /// A sparse raw file of `size` bytes with `pattern` byte written at each of `writes`.
    static func raw(at path: String, size: UInt64, writes: [(offset: UInt64, length: UInt64, pattern: UInt8)]) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: size)
        for write in writes {
            try handle.seek(toOffset: write.offset)
            try handle.write(contentsOf: Data(repeating: write.pattern, count: Int(write.length)))
        }
    }

    /// `sha256sum` of the image's guest-visible content, through `qemu-img convert -O raw`.
    static func sha256OfContent(_ path: String, format: String, scratch: TemporaryFolder) throws -> String {
        let raw = scratch.file("content-\(UUID().uuidString).raw")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try run(["qemu-img", "convert", "-f", format, "-O", "raw", path, raw])
        return String(try run(["sha256sum", raw]).prefix(64))
    }

    /// The chunk index file of the image's guest-visible content, made with the tools docs/FORMAT.md
    /// names and none of ours: `qemu-img convert -O raw`, `split -b SIZE -d -a 10`, `sha256sum`
    /// of every chunk, leaving out those that hash as zeros do.
    static func chunkIndexFile(
        _ path: String, format: String, chunkSize: Int = 1 << 20, scratch: TemporaryFolder
    ) throws -> String {
        let work = scratch.file("chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let raw = work + "/content.raw"
        try run(["qemu-img", "convert", "-f", format, "-O", "raw", path, raw])
        try run(["split", "-b", String(chunkSize), "-d", "-a", "10", raw, work + "/chunk-"])
        try FileManager.default.removeItem(atPath: raw)
        // One sha256sum over every chunk; a chunk whose digest is that of as many zeros is left
        // out (cmp-free, so a large image costs three processes, not one per chunk).
        let chunks = try FileManager.default.contentsOfDirectory(atPath: work).sorted().map { work + "/" + $0 }
        var zeroDigests: [Int: String] = [:]
        var lines = ""
        for line in try run(["sha256sum"] + chunks).split(separator: "\n") {
            let digest = String(line.prefix(64))
            let path = String(line.dropFirst(66))
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            if zeroDigests[size] == nil {
                zeroDigests[size] = String(try run(["sh", "-c", "head -c \(size) /dev/zero | sha256sum"]).prefix(64))
            }
            if digest != zeroDigests[size] { lines += digest + "  " + (path as NSString).lastPathComponent + "\n" }
        }
        return lines
    }

    /// Whether both images have the same guest-visible content: `qemu-img compare`.
    static func sameContent(_ a: String, format a1: String, _ b: String, format b1: String) -> Bool {
        (try? run(["qemu-img", "compare", "-q", "-f", a1, "-F", b1, a, b])) != nil
    }

    /// Bytes the image occupies on disk (`qemu-img info`'s actual-size).
    static func actualSize(_ path: String) throws -> UInt64 {
        let json = try run(["qemu-img", "info", "--output=json", path])
        let info = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (info?["actual-size"] as? NSNumber)?.uint64Value ?? .max
    }

    /// Whether no process holds the image open for writing: `qemu-img info` without force-share.
    static func isUnlocked(_ path: String) -> Bool {
        (try? run(["qemu-img", "info", path])) != nil
    }
}

/// Collects the progress reports of one stream.
final class ProgressLog: Sendable {
    private let reports = Mutex<[UInt64]>([])

    func record(_ bytes: UInt64) { reports.withLock { $0.append(bytes) } }

    var values: [UInt64] { reports.withLock { $0 } }
}

/// Cancels a task on request, even when asked before the task was handed over.
final class Canceller: Sendable {
    private let state = Mutex<(cancel: (@Sendable () -> Void)?, requested: Bool)>((nil, false))

    func watch<T: Sendable>(_ task: Task<T, any Error>) {
        let requested = state.withLock {
            $0.cancel = { task.cancel() }
            return $0.requested
        }
        if requested { task.cancel() }
    }

    func cancel() {
        let cancel = state.withLock {
            $0.requested = true
            return $0.cancel
        }
        cancel?()
    }
}

extension StreamResult {
    /// The chunk index as its file's text.
    var indexText: String? { index.map { String(decoding: $0.encoded(), as: UTF8.self) } }
}
