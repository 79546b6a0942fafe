import Blocking
import Foundation
import Libvirt
import Synchronization
import Testing

@testable import Engine

/// A domain whose guest stops a given number of state reads after it takes a request.
private final class FakeGuest: DomainPowerControl {
    struct Script: Sendable {
        var state: DomainState = .running
        /// Why libvirt refuses a request of this mode.
        var refusals: [ShutdownMode: LibvirtError] = [:]
        /// For each mode: how many state reads after the request still see the guest running
        /// (`nil`: the guest ignores the request).
        var readsUntilOff: [ShutdownMode: Int] = [:]
        /// Once the guest is off, reading the state fails like it does for a gone transient domain.
        var transient = false
    }

    private struct State {
        var script: Script
        var requests: [ShutdownMode] = []
        var agentTimeouts: [Int32] = []
        var readsLeft: Int?
    }

    private let recorded: Mutex<State>

    init(_ script: Script) {
        recorded = Mutex(State(script: script))
    }

    var requests: [ShutdownMode] { recorded.withLock { $0.requests } }
    var agentTimeouts: [Int32] { recorded.withLock { $0.agentTimeouts } }

    func state() throws(LibvirtError) -> DomainState {
        let (current, transient) = recorded.withLock { state -> (DomainState, Bool) in
            if let left = state.readsLeft {
                if left == 0 { state.script.state = .shutOff }
                state.readsLeft = left - 1
            }
            return (state.script.state, state.script.transient)
        }
        if current == .shutOff && transient {
            throw LibvirtError(code: 42, domain: 10, message: "Domain not found", call: "virDomainGetState")
        }
        return current
    }

    func setAgentTimeout(seconds: Int32) throws(LibvirtError) {
        recorded.withLock { $0.agentTimeouts.append(seconds) }
    }

    func shutdown(mode: ShutdownMode) throws(LibvirtError) {
        let refusal = recorded.withLock { state -> LibvirtError? in
            state.requests.append(mode)
            if let refusal = state.script.refusals[mode] { return refusal }
            state.readsLeft = state.script.readsUntilOff[mode]
            return nil
        }
        if let refusal { throw refusal }
    }
}

private let agentNotConnected = LibvirtError(
    code: 86, domain: 10, message: "Guest agent is not responding: QEMU guest agent is not connected",
    call: "virDomainShutdownFlags")
private let acpiRefused = LibvirtError(
    code: 55, domain: 10, message: "Requested operation is not valid: domain is not running",
    call: "virDomainShutdownFlags")

@Suite struct GuestShutdownTests {
    static let executor = BlockingExecutor(threads: 1)
    let clock = ManualClock(start: Date(timeIntervalSince1970: 0))

    private func shutdown(_ guest: FakeGuest) -> GuestShutdown {
        GuestShutdown(
            domain: guest, vmName: "web01", executor: Self.executor, timeout: .seconds(10), pollInterval: .seconds(1),
            agentTimeoutSeconds: 5, clock: clock)
    }

    /// Runs the shutdown, moving the clock one poll interval each time it sleeps, `sleeps` times.
    private func run(_ guest: FakeGuest, sleeps: Int) async throws -> GuestShutdown.Outcome {
        let shutdown = shutdown(guest)
        let task = Task { () async throws -> GuestShutdown.Outcome in try await shutdown.run() }
        for _ in 0..<sleeps {
            try await untilAsleep()
            clock.advance(by: .seconds(1))
        }
        return try await BoundedWait.value(of: task, "the shutdown ends")
    }

    private func untilAsleep() async throws {
        let clock = clock
        let asleep = Task { () async throws in await clock.sleeping() }
        try await BoundedWait.value(of: asleep, "the shutdown sleeps")
    }

    @Test func aShutOffDomainIsLeftAlone() async throws {
        let guest = FakeGuest(.init(state: .shutOff))
        #expect(try await run(guest, sleeps: 0) == .alreadyShutOff)
        #expect(guest.requests.isEmpty)
    }

    @Test func theAgentIsAskedFirstAndTheStateIsPolledUntilShutOff() async throws {
        let guest = FakeGuest(.init(readsUntilOff: [.agent: 3, .acpi: 0]))
        #expect(try await run(guest, sleeps: 3) == .shutDown(by: .agent))
        #expect(guest.requests == [.agent])
        #expect(guest.agentTimeouts == [5])
        #expect(clock.now.offset == .seconds(3))
    }

    @Test func withoutAnAgentTheACPIPowerButtonIsPressed() async throws {
        let guest = FakeGuest(.init(refusals: [.agent: agentNotConnected], readsUntilOff: [.acpi: 2]))
        #expect(try await run(guest, sleeps: 2) == .shutDown(by: .acpi))
        #expect(guest.requests == [.agent, .acpi])
    }

    @Test func aGuestThatIgnoresTheRequestIsAnErrorAfterTheTimeout() async throws {
        let guest = FakeGuest(.init(refusals: [.agent: agentNotConnected]))
        let error = await #expect(throws: EngineError.self) { try await run(guest, sleeps: 10) }
        #expect(error?.code == .preconditionFailed)
        #expect(error?.vm == "web01")
        #expect(
            error?.message
                == "VM web01 did not shut down within 10 s of the request through the ACPI power button "
                + "(the guest agent did not take the request: virDomainShutdownFlags: Guest agent is not "
                + "responding: QEMU guest agent is not connected)")
        #expect(clock.now.offset == .seconds(10))
        #expect(guest.requests == [.agent, .acpi])
    }

    @Test func anAgentThatTookTheRequestIsNotFollowedByACPI() async throws {
        let guest = FakeGuest(.init(readsUntilOff: [.acpi: 0]))
        let error = await #expect(throws: EngineError.self) { try await run(guest, sleeps: 10) }
        #expect(error?.message == "VM web01 did not shut down within 10 s of the request through the guest agent")
        #expect(guest.requests == [.agent])
    }

    @Test func whenNeitherRequestIsTakenBothReasonsAreReported() async throws {
        let guest = FakeGuest(.init(refusals: [.agent: agentNotConnected, .acpi: acpiRefused]))
        let error = await #expect(throws: EngineError.self) { try await run(guest, sleeps: 0) }
        #expect(error?.code == .hypervisorFailed)
        #expect(error?.message.contains("the guest agent: virDomainShutdownFlags: Guest agent is not") == true)
        #expect(error?.message.contains("the ACPI power button: \(acpiRefused)") == true)
        #expect((error?.cause as? LibvirtError)?.code == acpiRefused.code)
    }

    @Test func aPausedGuestCannotShutItselfDown() async throws {
        let guest = FakeGuest(.init(state: .paused, readsUntilOff: [.agent: 0]))
        let error = await #expect(throws: EngineError.self) { try await run(guest, sleeps: 0) }
        #expect(error?.code == .preconditionFailed)
        #expect(error?.message == "VM web01 is paused: only a running guest can shut itself down")
        #expect(guest.requests.isEmpty)
    }

    @Test func aTransientDomainThatIsGoneHasStopped() async throws {
        let guest = FakeGuest(.init(readsUntilOff: [.agent: 1], transient: true))
        #expect(try await run(guest, sleeps: 1) == .shutDown(by: .agent))
    }

    @Test func cancellingTheWaitIsReportedAsCancelled() async throws {
        let guest = FakeGuest(.init())
        let shutdown = shutdown(guest)
        let task = Task { () async throws -> GuestShutdown.Outcome in try await shutdown.run() }
        try await untilAsleep()
        task.cancel()
        let error = await #expect(throws: EngineError.self) {
            try await BoundedWait.value(of: task, "the shutdown ends")
        }
        #expect(error?.code == .cancelled)
        #expect(guest.requests == [.agent])
    }
}
