import Blocking
import Libvirt

/// What `GuestShutdown` needs of a domain; `Domain` has it, tests give a fake.
protocol DomainPowerControl: Sendable {
    func state() throws(LibvirtError) -> DomainState
    func setAgentTimeout(seconds: Int32) throws(LibvirtError)
    func shutdown(mode: ShutdownMode) throws(LibvirtError)
}

extension Domain: DomainPowerControl {}

/// Shuts a running guest down the way an administrator would before touching its disks (a
/// restore in place): ask the guest agent; if the agent cannot take the request, press the ACPI
/// power button; then poll the domain's state until it is shut off or `timeout` has passed.
///
/// Never forces the domain off: a guest that does not stop is an error the caller reports (or
/// answers with `destroy()`, if the user said so). Libvirt calls run on the blocking executor;
/// waiting uses the injected clock, so tests need no real time.
struct GuestShutdown: Sendable {
    /// How the domain came to be shut off.
    enum Outcome: Sendable, Equatable {
        /// It was shut off before anything was asked.
        case alreadyShutOff
        /// It stopped after this request.
        case shutDown(by: ShutdownMode)
    }

    let domain: any DomainPowerControl
    let vmName: String
    let executor: BlockingExecutor
    /// How long the guest has to stop after the request it took.
    let timeout: Duration
    let pollInterval: Duration
    /// How long libvirt waits for the agent to take the request.
    let agentTimeoutSeconds: Int32
    let clock: any Clock<Duration>

    init(
        domain: any DomainPowerControl, vmName: String, executor: BlockingExecutor, timeout: Duration = .seconds(120),
        pollInterval: Duration = .seconds(1), agentTimeoutSeconds: Int32 = 10,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.domain = domain
        self.vmName = vmName
        self.executor = executor
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.agentTimeoutSeconds = agentTimeoutSeconds
        self.clock = clock
    }

    /// Shuts the domain down and says how; throws `precondition_failed` when the guest cannot
    /// shut itself down (paused, crashed, suspended) or did not stop within `timeout`,
    /// `hypervisor_failed` when libvirt took neither request or cannot tell the domain's state,
    /// and `cancelled` when the task was cancelled while waiting.
    func run() async throws(EngineError) -> Outcome {
        let state = try await currentState()
        switch state {
        case .shutOff:
            return .alreadyShutOff
        case .running, .blocked, .shuttingDown:
            break
        case .paused, .crashed, .suspended, .unknown:
            throw EngineError(
                .preconditionFailed, "VM \(vmName) is \(Self.phrase(state)): only a running guest can shut itself down",
                vm: vmName)
        }

        var refused: [(mode: ShutdownMode, error: any Error)] = []
        for mode in [ShutdownMode.agent, .acpi] {
            if let error = await request(mode) {
                refused.append((mode, error))
                continue
            }
            let before = refused.map { "\($0.mode) did not take the request: \($0.error)" }
            try await waitUntilShutOff(on: clock, after: mode, refusals: before)
            return .shutDown(by: mode)
        }
        // Neither request was taken: maybe because the guest stopped meanwhile.
        if try await currentState() == .shutOff { return .alreadyShutOff }
        let reasons = refused.map { "\($0.mode): \($0.error)" }.joined(separator: "; ")
        throw EngineError(
            .hypervisorFailed, "VM \(vmName) cannot be asked to shut down (\(reasons))", vm: vmName,
            cause: refused.last?.error)
    }

    /// Sends one shutdown request; returns why it was not taken, or `nil`.
    private func request(_ mode: ShutdownMode) async -> (any Error)? {
        let domain = domain
        let agentTimeout = agentTimeoutSeconds
        do {
            try await executor.run {
                if mode == .agent { try domain.setAgentTimeout(seconds: agentTimeout) }
                try domain.shutdown(mode: mode)
            }
            return nil
        } catch {
            return error
        }
    }

    private func waitUntilShutOff<C: Clock<Duration>>(
        on clock: C, after mode: ShutdownMode, refusals: [String]
    ) async throws(EngineError) {
        let deadline = clock.now.advanced(by: timeout)
        while try await currentState() != .shutOff {
            let now = clock.now
            guard now < deadline else {
                let seconds = timeout.components.seconds
                let earlier = refusals.isEmpty ? "" : " (\(refusals.joined(separator: "; ")))"
                throw EngineError(
                    .preconditionFailed,
                    "VM \(vmName) did not shut down within \(seconds) s of the request through \(mode)\(earlier)",
                    vm: vmName)
            }
            do {
                try await clock.sleep(until: min(now.advanced(by: pollInterval), deadline), tolerance: nil)
            } catch {
                throw EngineError(
                    .cancelled, "waiting for VM \(vmName) to shut down cancelled", vm: vmName, cause: error)
            }
        }
    }

    /// The domain's state; a transient domain that is gone has stopped.
    private func currentState() async throws(EngineError) -> DomainState {
        let domain = domain
        do {
            return try await executor.run { try domain.state() }
        } catch let error as LibvirtError where error.isNoDomain {
            return .shutOff
        } catch {
            throw EngineError(
                .hypervisorFailed, "cannot read the state of VM \(vmName): \(error)", vm: vmName, cause: error)
        }
    }

    private static func phrase(_ state: DomainState) -> String {
        switch state {
        case .paused: "paused"
        case .crashed: "crashed"
        case .suspended: "suspended by the guest"
        default: "in an unknown state"
        }
    }
}
