import Foundation
import LVM
import Testing

/// lvm metadata commands need no device-mapper, so they run on the host against a loop device.
@Suite(
    .serialized,
    .enabled(if: getuid() == 0, "needs root for loop devices"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/sbin/losetup"), "needs losetup"))
struct LVMVolumeGroupTests {
    @Test func reportsPrintedByLVMAreReturnedAsOutput() async throws {
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-lvm-\(UUID().uuidString).img")
        try Self.command("/usr/bin/truncate", ["-s", "64M", image.path])
        defer { try? FileManager.default.removeItem(at: image) }
        let device = try Self.command("/sbin/losetup", ["--find", "--show", image.path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Self.command("/sbin/losetup", ["-d", device]) }
        let group = "vmbt-lvm-\(UUID().uuidString.prefix(8).lowercased())"
        let runner = LVMCommandRunner()

        try await runner.run("pvcreate \(device)")
        try await runner.run("vgcreate \(group) \(device)")
        let report = try await runner.run("vgs --noheadings -o vg_name,pv_count \(group)")
        try await runner.run("vgremove -f \(group)")
        try await runner.run("pvremove \(device)")

        let fields = report.split(whereSeparator: \.isWhitespace)
        #expect(fields == [Substring(group), "1"])
        await #expect(throws: LVMError.self) {
            try await runner.run("vgs \(group)")
        }
    }

    @discardableResult
    static func command(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(command: executable, status: process.terminationStatus)
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct CommandFailure: Error {
        var command: String
        var status: Int32
    }
}
