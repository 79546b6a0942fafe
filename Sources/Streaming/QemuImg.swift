import Foundation
import Subprocess

/// `qemu-img` run without a shell, its output bounded.
enum QemuImg {
    /// The formats a backupSource may have; anything else is refused before a tool sees it.
    static let sourceFormats: Set<String> = ["qcow2", "raw"]

    /// A failed run: the last line `qemu-img` printed on standard error, or how it ended.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The guest-visible size of the image at `path`: `qemu-img info --output=json`.
    ///
    /// Uses `--force-share`, so it also answers for an image a running guest holds open.
    static func virtualSize(of path: String, format: String) async throws(Failure) -> UInt64 {
        let output = try await run(["info", "--output=json", "--force-share", "-f", format, path])
        struct Info: Decodable {
            var virtualSize: UInt64
            enum CodingKeys: String, CodingKey { case virtualSize = "virtual-size" }
        }
        do {
            return try JSONDecoder().decode(Info.self, from: Data(output.utf8)).virtualSize
        } catch {
            throw Failure(description: "qemu-img info printed no virtual-size")
        }
    }

    /// Creates an empty image of `format` (`qcow2`, `raw`) and `virtualSize` bytes at `path`,
    /// replacing any file there: `qemu-img create`.
    static func create(at path: String, format: String, virtualSize: UInt64) async throws(Failure) {
        _ = try await run(["create", "-q", "-f", format, path, String(virtualSize)])
    }

    /// Creates a qcow2 overlay at `path` on the qcow2 image `backingFile`.
    static func createOverlay(at path: String, backingFile: String) async throws(Failure) {
        _ = try await run(["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", backingFile, path])
    }

    /// Copies what the overlay at `path` reads from its backing chain into it and drops the chain.
    static func detach(_ path: String) async throws(Failure) {
        _ = try await run(["rebase", "-q", "-f", "qcow2", "-b", "", path])
    }

    /// Makes the qcow2 image at `path` read through `backingFile` (a qcow2 image, relative to
    /// `path`'s folder when not absolute) instead of its current backing file, copying into it
    /// whatever the two chains read differently, so its guest-visible content stays the same:
    /// `qemu-img rebase` in safe mode. The current backing file must still be readable.
    static func rebase(_ path: String, onto backingFile: String) async throws(Failure) {
        _ = try await run(["rebase", "-q", "-f", "qcow2", "-F", "qcow2", "-b", backingFile, path])
    }

    /// The backing file the qcow2 image at `path` names, as written in it (`nil` for none), and
    /// the bytes the image file takes: `qemu-img info --output=json` without following the chain.
    static func layer(of path: String) async throws(Failure) -> (backingFile: String?, actualSize: UInt64) {
        let output = try await run(["info", "--output=json", "--force-share", "-f", "qcow2", path])
        struct Info: Decodable {
            var backingFilename: String?
            var actualSize: UInt64?
            enum CodingKeys: String, CodingKey {
                case backingFilename = "backing-filename"
                case actualSize = "actual-size"
            }
        }
        do {
            let info = try JSONDecoder().decode(Info.self, from: Data(output.utf8))
            return (info.backingFilename, info.actualSize ?? 0)
        } catch {
            throw Failure(description: "qemu-img info printed no image information")
        }
    }

    /// The persistent dirty bitmaps of the qcow2 image at `path` with their flags (`auto`:
    /// recording; `in-use`: not saved since opened, so inconsistent): `qemu-img info`.
    static func bitmaps(of path: String) async throws(Failure) -> [(name: String, flags: [String])] {
        let output = try await run(["info", "--output=json", "--force-share", "-f", "qcow2", path])
        struct Info: Decodable {
            struct Specific: Decodable {
                struct Data: Decodable { var bitmaps: [Bitmap]? }
                var data: Data?
            }
            struct Bitmap: Decodable {
                var name: String
                var flags: [String]?
            }
            var formatSpecific: Specific?
            enum CodingKeys: String, CodingKey { case formatSpecific = "format-specific" }
        }
        do {
            let info = try JSONDecoder().decode(Info.self, from: Data(output.utf8))
            return (info.formatSpecific?.data?.bitmaps ?? []).map { ($0.name, $0.flags ?? []) }
        } catch {
            throw Failure(description: "qemu-img info printed no image information")
        }
    }

    /// Runs `qemu-img arguments` and returns its standard output; throws unless it exits 0.
    private static func run(_ arguments: [String]) async throws(Failure) -> String {
        let result: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                .name("qemu-img"), arguments: Arguments(arguments),
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        } catch {
            throw Failure(description: "cannot run qemu-img: \(error)")
        }
        guard result.terminationStatus.isSuccess else {
            let lastLine = (result.standardError + result.standardOutput).split(whereSeparator: \.isNewline).last
            throw Failure(description: lastLine.map(String.init) ?? "qemu-img \(result.terminationStatus)")
        }
        return result.standardOutput
    }
}

/// The `qemu-nbd` command lines that libnbd starts by socket activation.
enum QemuNBDCommand {
    /// Serves the guest-visible content of `path` read-only. The page cache is used (reads of a
    /// just-written snapshot stay cheap); the image is opened with shared locks only.
    static func reader(path: String, format: String, bitmap: String? = nil) -> [String] {
        ["qemu-nbd", "--read-only", "--shared=1", "--format=\(format)", "--cache=writeback", "--aio=threads"]
            + (bitmap.map { ["--bitmap=\($0)"] } ?? []) + [path]
    }

    /// Serves the image (or device) at `path` for writing. Writes go through the page cache and
    /// are made durable by the flush that ends every stream.
    static func writer(path: String, format: String) -> [String] {
        ["qemu-nbd", "--shared=1", "--format=\(format)", "--cache=writeback", "--aio=threads", path]
    }
}
