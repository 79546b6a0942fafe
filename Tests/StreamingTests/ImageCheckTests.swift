import Foundation
import Testing

@testable import Streaming

/// `qemu-img check` as a verify runs it before it reads a stored image.
@Suite(.enabled(if: qemuToolsAvailable, "needs qemu-img, qemu-nbd and qemu-io"))
struct ImageCheckTests {
    @Test func aSoundImageIsSound() async throws {
        let folder = try TemporaryFolder()
        let image = folder.file("vda.qcow2")
        try TestImage.qcow2(at: image, size: 8 << 20, writes: [(0, 4 << 20, 0x5a)])

        let check = try await ImageCheck.qcow2(at: image, disk: "vda")

        #expect(check.isSound)
        #expect(check.problem(file: "vda.qcow2") == nil)
    }

    @Test func anImageCutShortIsSaidToBe() async throws {
        let folder = try TemporaryFolder()
        let image = folder.file("vda.qcow2")
        try TestImage.qcow2(at: image, size: 8 << 20, writes: [(0, 4 << 20, 0x5a)])
        try run(["truncate", "-s", "1M", image])

        let check = try await ImageCheck.qcow2(at: image, disk: "vda")

        #expect(!check.isSound)
        #expect(check.cutShort)
        let problem = try #require(check.problem(file: "vda.qcow2"))
        #expect(problem.hasPrefix("the image vda.qcow2 is cut short"), "\(problem)")
    }

    @Test func aFileThatIsNoQcow2CannotBeChecked() async throws {
        let folder = try TemporaryFolder()
        let image = folder.file("vda.qcow2")
        try Data(repeating: 0, count: 4096).write(to: URL(fileURLWithPath: image))

        await #expect(throws: StreamError.self) { try await ImageCheck.qcow2(at: image, disk: "vda") }
    }

    @Test func theReportIsReadWhateverTheExitStatus() {
        let report = #"{"image-end-offset": 65536, "corruptions": 3, "check-errors": 0, "format": "qcow2"}"#

        #expect(ImageCheck.reading(report: report, errors: "") == ImageCheck(corruptions: 3))
        #expect(
            ImageCheck.reading(
                report: report, errors: "ERROR: counting reference for region exceeding the end of the file by one")
                == ImageCheck(corruptions: 3, cutShort: true))
        #expect(ImageCheck.reading(report: #"{"check-errors": 0, "leaks": 4}"#, errors: "")?.isSound == true)
        #expect(ImageCheck.reading(report: "", errors: "qemu-img: Could not open") == nil)
        #expect(ImageCheck(tooManyErrors: true).problem(file: "vda.qcow2")?.contains("more errors") == true)
    }
}
