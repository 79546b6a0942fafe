import Foundation
import Subprocess

/// What `qemu-img check` says of a qcow2 image's structure: its metadata (tables, refcounts)
/// checked against the file, without reading the guest's data.
///
/// A verify runs it before it reads a stored image: a file cut short or metadata overwritten
/// reads back as zeros through QEMU, which the chunk digests catch too, but only this says why.
public struct ImageCheck: Sendable, Equatable {
    /// Metadata that is wrong: a cluster referenced but not counted, a table past the end.
    public var corruptions: Int
    /// Parts of the image `qemu-img` could not check at all (a read error, say).
    public var checkErrors: Int
    /// Whether the metadata points past the end of the file: the file was cut short.
    public var cutShort: Bool
    /// Whether `qemu-img` listed more errors than are worth reading.
    public var tooManyErrors: Bool

    public init(corruptions: Int = 0, checkErrors: Int = 0, cutShort: Bool = false, tooManyErrors: Bool = false) {
        self.corruptions = corruptions
        self.checkErrors = checkErrors
        self.cutShort = cutShort
        self.tooManyErrors = tooManyErrors
    }

    /// Whether the image's structure is sound. Leaked clusters (allocated, never used) are
    /// harmless and do not count.
    public var isSound: Bool { corruptions == 0 && checkErrors == 0 && !cutShort && !tooManyErrors }

    /// Why the structure is not sound, in one line, for an image named `file`; `nil` when it is.
    public func problem(file: String) -> String? {
        if isSound { return nil }
        let found =
            tooManyErrors
            ? "qemu-img check finds more errors than it can list"
            : "qemu-img check finds \(corruptions) corruption(s) and \(checkErrors) check error(s)"
        if cutShort { return "the image \(file) is cut short: its tables point past the end of the file (\(found))" }
        return "the image \(file) is damaged: \(found)"
    }

    /// How much of `qemu-img check`'s error output is read: enough for every error of a damaged
    /// small image; a larger one is damaged all the same.
    static let errorOutputLimit = 4 << 20

    /// Checks the qcow2 image at `path`: `qemu-img check --output=json --force-share`. Throws
    /// `StreamError` (step `inspecting`) when `qemu-img` cannot run or cannot open the file as
    /// qcow2 at all.
    public static func qcow2(at path: String, disk: String) async throws -> ImageCheck {
        let path = Streamer.absolute(path)
        let result: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                .name("qemu-img"),
                arguments: ["check", "--output=json", "--force-share", "-f", "qcow2", path],
                output: .string(limit: 1 << 20), error: .string(limit: errorOutputLimit))
        } catch let error as SubprocessError where error.code == .outputLimitExceeded {
            return ImageCheck(tooManyErrors: true)
        } catch {
            throw StreamError(.inspecting, disk: disk, path: path, reason: "cannot run qemu-img check: \(error)")
        }
        guard let check = reading(report: result.standardOutput, errors: result.standardError) else {
            let lastLine = result.standardError.split(whereSeparator: \.isNewline).last.map(String.init)
            throw StreamError(
                .inspecting, disk: disk, path: path,
                reason: lastLine ?? "qemu-img check ended with \(result.terminationStatus) and no report")
        }
        return check
    }

    /// Reads `qemu-img check --output=json`'s report and error lines; `nil` when there is no
    /// report (the image could not be opened). Exit status 2 (corruptions) and 3 (leaks) still
    /// print the report, so the status is not looked at.
    static func reading(report: String, errors: String) -> ImageCheck? {
        struct Report: Decodable {
            var corruptions: Int?
            var checkErrors: Int?
            enum CodingKeys: String, CodingKey {
                case corruptions
                case checkErrors = "check-errors"
            }
        }
        guard let decoded = try? JSONDecoder().decode(Report.self, from: Data(report.utf8)) else { return nil }
        return ImageCheck(
            corruptions: decoded.corruptions ?? 0, checkErrors: decoded.checkErrors ?? 0,
            cutShort: errors.contains("exceeding the end of the file"))
    }
}
