import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Targets
import Testing

@testable import Engine

@Suite struct EngineReloadTests {
    private func engine(_ targets: [TargetSettings]) throws -> BackupEngine {
        try BackupEngine(
            settings: BackupEngine.Settings(targets: targets, maxConcurrentJobs: 2),
            catalog: try BackupCatalog.inMemory(), identity: DaemonIdentity(host: "test", daemonID: "reload"),
            logger: Logger(label: "test"))
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-reload-" + UUID().uuidString).path
    }

    @Test func aReloadChangesLimitsAndPoliciesButNotWhereTargetsAre() throws {
        let local = folder()
        let offsite = folder()
        defer {
            try? FileManager.default.removeItem(atPath: local)
            try? FileManager.default.removeItem(atPath: offsite)
        }
        let engine = try engine([
            TargetSettings(name: "default", directory: local), TargetSettings(name: "offsite", directory: offsite),
        ])

        try engine.reload(
            vmRules: [], policies: ["p": BackupPolicy(name: "p", target: "offsite", maxConcurrentJobs: 1)],
            defaultQuiesce: .off, maxConcurrentJobs: 5,
            targets: [
                TargetSettings(name: "default", directory: local, maxConcurrentJobs: 3),
                TargetSettings(name: "offsite", directory: offsite, maxConcurrentJobs: 1),
            ], taskHistoryDays: 7)
        #expect(engine.settings.maxConcurrentJobs == 5)
        #expect(engine.settings.targets.map(\.maxConcurrentJobs) == [3, 1])
        #expect(engine.settings.policies["p"]?.target == "offsite")
        #expect(engine.settings.defaultQuiesce == .off)
        #expect(engine.settings.taskHistoryDays == 7)

        let moved = #expect(throws: EngineError.self) {
            try engine.reload(
                vmRules: [], policies: [:], defaultQuiesce: .preferred, maxConcurrentJobs: 1,
                targets: [
                    TargetSettings(name: "default", directory: local),
                    TargetSettings(name: "offsite", directory: "/elsewhere"),
                ], taskHistoryDays: 30)
        }
        #expect(moved?.code == .badRequest)
        #expect(moved?.message.contains("restart vmbackupd") == true)
        #expect(moved?.message.contains("/elsewhere") == true, "names where the file moves the target")
        #expect(engine.settings.maxConcurrentJobs == 5, "a refused reload changes nothing")
        #expect(engine.settings.policies.keys.sorted() == ["p"])
        #expect(engine.settings.targets.map(\.directory) == [local, offsite])
    }

    @Test func anEngineNeedsTheDefaultTarget() {
        let missing = #expect(throws: EngineError.self) {
            try engine([TargetSettings(name: "offsite", directory: folder())])
        }
        #expect(missing?.code == .internal)
        #expect(missing?.message == "no target named \(TargetSettings.defaultName)")
    }
}
