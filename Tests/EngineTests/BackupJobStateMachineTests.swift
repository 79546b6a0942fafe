import APIModel
import Testing

@testable import Engine

/// Drives the state machine through a scripted run: each action is answered by the script,
/// which fails the named step once. Returns the actions in order.
private func trace(
    _ setup: BackupJobStateMachine.Setup, failing failedAction: String? = nil, cancelBefore cancelAction: String? = nil
) -> [BackupJobStateMachine.Action] {
    var machine = BackupJobStateMachine(setup)
    var event = BackupJobStateMachine.Event.started
    var actions: [BackupJobStateMachine.Action] = []
    let boom = EngineError(.internal, "boom")
    for _ in 0..<50 {
        let action = machine.next(after: event)
        actions.append(action)
        if name(of: action) == cancelAction { machine.cancel() }
        let fails = name(of: action) == failedAction
        switch action {
        case .prepareTarget: event = fails ? .targetFailed(boom) : .targetPrepared
        case .freeze: event = fails ? .freezeFailed(boom) : .frozen
        case .snapshot: event = fails ? .snapshotFailed(boom) : .snapshotted
        case .thaw: event = fails ? .thawFailed(boom) : .thawed
        case .stream: event = fails ? .streamFailed(boom) : .streamed
        case .release: event = fails ? .releaseFailed(boom) : .released
        case .publish: event = fails ? .publishFailed(boom) : .published
        case .discard: event = .discarded
        case .finish: return actions
        }
    }
    Issue.record("the job did not finish: \(actions)")
    return actions
}

private func name(of action: BackupJobStateMachine.Action) -> String {
    switch action {
    case .prepareTarget: "prepareTarget"
    case .freeze: "freeze"
    case .snapshot: "snapshot"
    case .thaw: "thaw"
    case .stream: "stream"
    case .release: "release"
    case .publish: "publish"
    case .discard: "discard"
    case .finish: "finish"
    }
}

private let running = BackupJobStateMachine.Setup(quiesce: .preferred, domainRunning: true, agentAvailable: true)
private let steps = ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "publish"]
private let setups: [BackupJobStateMachine.Setup] = [
    running,
    .init(quiesce: .required, domainRunning: true, agentAvailable: true),
    .init(quiesce: .preferred, domainRunning: true, agentAvailable: false),
    .init(quiesce: .off, domainRunning: true, agentAvailable: true),
    .init(quiesce: .preferred, domainRunning: false, agentAvailable: false),
]

@Suite struct BackupJobStateMachineTests {
    @Test func aFrozenBackupRunsEveryStepInOrder() {
        let names = trace(running).map(name(of:))
        #expect(names == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "publish", "finish"])
        #expect(trace(running).last == .finish(.succeeded(.filesystem)))
    }

    @Test func quiesceOffNeverFreezesAndIsCrashConsistent() {
        let actions = trace(.init(quiesce: .off, domainRunning: true, agentAvailable: true))
        #expect(!actions.contains(.freeze))
        #expect(actions.last == .finish(.succeeded(.crash)))
    }

    @Test func aShutOffDomainIsNeitherFrozenNorThawed() {
        let actions = trace(.init(quiesce: .required, domainRunning: false, agentAvailable: false))
        #expect(!actions.contains(.freeze) && !actions.contains(.thaw))
        #expect(actions.last == .finish(.succeeded(.crash)))
    }

    @Test func requiredWithoutAgentFailsBeforeTouchingAnything() {
        let actions = trace(.init(quiesce: .required, domainRunning: true, agentAvailable: false))
        #expect(actions.count == 1)
        guard case .finish(.failed(let error)) = actions.last else {
            Issue.record("expected a failure, got \(actions)")
            return
        }
        #expect(error.code == .agentUnavailable)
    }

    @Test func preferredWithoutAgentSkipsTheFreeze() {
        let actions = trace(.init(quiesce: .preferred, domainRunning: true, agentAvailable: false))
        #expect(!actions.contains(.freeze))
        #expect(actions.last == .finish(.succeeded(.crash)))
    }

    @Test func aFailedFreezeUnderPreferredThawsAndFallsBackToCrashConsistent() {
        let actions = trace(running, failing: "freeze").map(name(of:))
        #expect(actions == ["prepareTarget", "freeze", "thaw", "snapshot", "stream", "release", "publish", "finish"])
        #expect(trace(running, failing: "freeze").last == .finish(.succeeded(.crash)))
    }

    @Test func aFailedFreezeUnderRequiredThawsDiscardsAndFails() {
        let actions = trace(.init(quiesce: .required, domainRunning: true, agentAvailable: true), failing: "freeze")
        #expect(actions.map(name(of:)) == ["prepareTarget", "freeze", "thaw", "discard", "finish"])
    }

    @Test(arguments: setups, steps)
    func everyFailureThawsReleasesAndNeverPublishes(setup: BackupJobStateMachine.Setup, failing step: String) {
        let actions = trace(setup, failing: step)
        let names = actions.map(name(of:))
        assertGuestSafe(names, failed: step)
        let tolerated = step == "freeze" && setup.quiesce != .required
        if tolerated || !names.contains(step) {
            #expect(actions.last?.isSuccess == true)
        } else {
            #expect(actions.last?.isSuccess == false, "a failed \(step) must fail the job: \(names)")
            #expect(!names.contains("publish") || step == "publish")
            if names.contains("prepareTarget") && step != "prepareTarget" {
                #expect(names.contains("discard"), "a failed job discards its partial backup: \(names)")
            }
        }
    }

    @Test(arguments: setups, steps)
    func cancellingBeforeAnyStepStillThawsReleasesAndDiscards(setup: BackupJobStateMachine.Setup, step: String) {
        let actions = trace(setup, cancelBefore: step)
        let names = actions.map(name(of:))
        assertGuestSafe(names)
        if step == "publish" {
            #expect(actions.last?.isSuccess == true, "once publishing, the backup completes")
        } else if names.contains(step) {
            #expect(actions.last == .finish(.cancelled) || actions.last?.isSuccess == false, "\(names)")
            #expect(!names.contains("publish"))
        }
    }

    @Test func aFailedThawFailsTheJobButStillReleasesTheSnapshots() {
        let names = trace(running, failing: "thaw").map(name(of:))
        #expect(names == ["prepareTarget", "freeze", "snapshot", "thaw", "release", "discard", "finish"])
    }

    @Test func aFailedReleaseFailsTheJobAndKeepsNothingPublished() {
        let actions = trace(running, failing: "release")
        #expect(actions.map(name(of:)).suffix(2) == ["discard", "finish"])
        guard case .finish(.failed(let error)) = actions.last else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message == "boom")
    }
}

/// Every freeze is followed by a thaw, every snapshot by a release, and nothing changes the
/// guest after the job has cleaned up.
private func assertGuestSafe(
    _ names: [String], failed: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    if let freeze = names.firstIndex(of: "freeze") {
        #expect(names[freeze...].contains("thaw"), "froze without thawing: \(names)", sourceLocation: sourceLocation)
    }
    if let snapshot = names.firstIndex(of: "snapshot") {
        let before = names[..<snapshot]
        let frozenAtSnapshot = before.lastIndex(of: "freeze").map { !before[$0...].contains("thaw") } ?? false
        if frozenAtSnapshot {
            #expect(
                names[snapshot...].contains("thaw"), "snapshot while frozen, never thawed: \(names)",
                sourceLocation: sourceLocation)
        }
        if failed != "snapshot" {
            #expect(
                names[snapshot...].contains("release"), "snapshot never released: \(names)",
                sourceLocation: sourceLocation)
        }
    }
    if let release = names.lastIndex(of: "release") {
        #expect(
            !names[release...].contains("snapshot") && !names[release...].contains("freeze"),
            sourceLocation: sourceLocation)
    }
    #expect(
        names.filter { $0 == "freeze" }.count <= 1, "froze more than once: \(names)", sourceLocation: sourceLocation)
}

extension BackupJobStateMachine.Action {
    fileprivate var isSuccess: Bool? {
        guard case .finish(let outcome) = self else { return nil }
        if case .succeeded = outcome { return true }
        return false
    }
}

extension BackupJobStateMachine.Setup: CustomTestStringConvertible {
    public var testDescription: String {
        "\(quiesce.rawValue), \(domainRunning ? "running" : "shut off"), agent \(agentAvailable ? "on" : "off")"
    }
}
