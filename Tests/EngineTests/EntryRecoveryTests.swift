import APIModel
import Catalog
import Testing

@testable import Engine

/// Records which recovery steps were taken; each step can report something left.
private actor FakeRecoveryEffects: RecoveryEffects {
    let domain: Bool
    let failing: Set<String>
    private(set) var steps: [String] = []

    init(domain: Bool = true, failing: Set<String> = []) {
        self.domain = domain
        self.failing = failing
    }

    private func step(_ name: String) -> [String] {
        steps.append(name)
        return failing.contains(name) ? ["\(name) failed"] : []
    }

    func domainExists() async -> Bool { domain }
    func resumeAndThaw(_ plan: RecoveryPlan) async -> [String] {
        step("resumeAndThaw(resume: \(plan.resume), thaw: \(plan.thaw))")
    }
    func releaseSnapshots() async -> [String] { step("releaseSnapshots") }
    func removePartial() async -> [String] { step("removePartial") }
}

private func entry(
    _ phase: JournalPhase, frozen: Bool = false, method: SnapshotMethodName = .qcow2
) -> JournalEntry {
    JournalEntry(
        jobID: "job", vmUUID: "uuid-web", vmName: "web01", backupID: "20261130T010000Z-aaaa", target: "default",
        targetDirectory: "/srv/backups",
        disks: [
            JournalDisk(target: "vda", kind: "file", sourcePath: "/images/vda.qcow2", format: "qcow2", method: method)
        ],
        phase: phase, guestMayBeFrozen: frozen)
}

@Suite struct EntryRecoveryTests {
    @Test func aJobKilledWhileFrozenIsThawedThenReleasedThenItsPartialRemoved() async {
        let effects = FakeRecoveryEffects()
        let problems = await EntryRecovery.run(entry(.snapshotted, frozen: true), with: effects)
        #expect(problems.isEmpty)
        #expect(
            await effects.steps == [
                "resumeAndThaw(resume: false, thaw: true)", "releaseSnapshots", "removePartial",
            ])
    }

    @Test func aGuestThatWasNeverFrozenIsNotThawed() async {
        let effects = FakeRecoveryEffects()
        _ = await EntryRecovery.run(entry(.snapshotted, frozen: false), with: effects)
        #expect(await effects.steps == ["releaseSnapshots", "removePartial"])
    }

    @Test func aReflinkCopyCutShortResumesTheDomainItPaused() async {
        let effects = FakeRecoveryEffects()
        _ = await EntryRecovery.run(entry(.snapshotting, frozen: false, method: .reflink), with: effects)
        #expect(
            await effects.steps == [
                "resumeAndThaw(resume: true, thaw: false)", "releaseSnapshots", "removePartial",
            ])
    }

    @Test func aJobThatOnlyPreparedRemovesItsPartialAlone() async {
        let effects = FakeRecoveryEffects()
        _ = await EntryRecovery.run(entry(.preparing), with: effects)
        #expect(await effects.steps == ["removePartial"])
    }

    @Test func aDomainThatIsGoneKeepsItsSnapshotsAndSaysSo() async {
        let effects = FakeRecoveryEffects(domain: false)
        let problems = await EntryRecovery.run(entry(.thawed), with: effects)
        #expect(await effects.steps == ["removePartial"])
        #expect(problems == ["VM web01 (uuid-web) is not defined any more; its snapshots were kept"])
    }

    @Test func aDomainGoneAfterItsSnapshotsWereReleasedLeavesNothing() async {
        let effects = FakeRecoveryEffects(domain: false)
        #expect(await EntryRecovery.run(entry(.released), with: effects).isEmpty)
    }

    @Test func whatCannotBeUndoneIsReportedAndTheOtherStepsStillRun() async {
        let effects = FakeRecoveryEffects(failing: ["resumeAndThaw(resume: false, thaw: true)", "releaseSnapshots"])
        let problems = await EntryRecovery.run(entry(.snapshotted, frozen: true), with: effects)
        #expect(problems == ["resumeAndThaw(resume: false, thaw: true) failed", "releaseSnapshots failed"])
        #expect(await effects.steps.last == "removePartial")
    }
}
