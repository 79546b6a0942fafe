import LVM
import Testing

@Suite(.serialized) struct LVMCommandRunnerTests {
    @Test func versionSucceedsAndPrintsTheLVMVersion() async throws {
        let runner = LVMCommandRunner()
        let output = try await runner.run("version")
        #expect(output.contains("LVM version"))
    }

    @Test func listingANonexistentVolumeGroupFailsWithLVMsMessage() async throws {
        let runner = LVMCommandRunner()
        let error = await #expect(throws: LVMError.self) {
            try await runner.run("lvs vmbt-no-such-vg")
        }
        #expect(error?.command == "lvs vmbt-no-such-vg")
        #expect(error?.status == .processingFailed)
        #expect(error?.messages.contains { $0.contains("vmbt-no-such-vg") } == true)
    }

    @Test func anUnknownCommandIsReportedAsSuch() async throws {
        let runner = LVMCommandRunner()
        let error = await #expect(throws: LVMError.self) {
            try await runner.run("vmbtnosuchcommand")
        }
        #expect(error?.status == .noSuchCommand)
    }

    @Test func oneRunnerServesManyCommandsInTurn() async throws {
        let runner = LVMCommandRunner()
        async let first = runner.run("version")
        async let second = runner.run("version")
        let outputs = try await [first, second]
        #expect(outputs.allSatisfy { $0.contains("LVM version") })
    }
}
