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

    /// lvm2cmd logs through one process-wide callback, so two commands running at once would
    /// mix their lines (or worse): each command here must get back its own lines, and only those.
    @Test func commandsFromManyRunnersAtOnceRunOneAtATime() async throws {
        let names = (0..<12).map { "vmbt-no-such-vg-\($0)" }
        let outcomes = await withTaskGroup(of: (Int, String, [String]).self) { group in
            for (index, name) in names.enumerated() {
                let runner = LVMCommandRunner()
                group.addTask {
                    if index.isMultiple(of: 3) {
                        return (index, "version", [(try? await runner.run("version")) ?? "failed"])
                    }
                    do {
                        return (index, "lvs \(name)", [try await runner.run("lvs \(name)")])
                    } catch let error as LVMError {
                        return (index, error.command, error.messages)
                    } catch {
                        return (index, "lvs \(name)", ["\(error)"])
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == names.count)
        for (index, command, lines) in outcomes {
            let text = lines.joined(separator: "\n")
            // The volume group names in what the command got back.
            let named = Set(
                text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init)
                    .filter { $0.hasPrefix("vmbt-no-such-vg-") })
            if index.isMultiple(of: 3) {
                #expect(command == "version")
                #expect(text.contains("LVM version"), "\(text)")
                #expect(named.isEmpty, "version got another command's lines: \(text)")
            } else {
                #expect(command == "lvs \(names[index])")
                #expect(named == [names[index]], "\(command) got: \(text)")
            }
        }
    }
}
