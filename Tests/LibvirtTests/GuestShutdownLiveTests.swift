import Blocking
import Foundation
import Libvirt
import Testing

@testable import Engine

/// `GuestShutdown` against real guests: the tiny test guest's agent, and a guest without one.
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    .enabled(if: LibvirtHost.hasGuestKernel, "no /boot/vmlinuz-*-amd64 for the test guest"))
struct GuestShutdownLiveTests {
    @Test(.timeLimit(.minutes(5)))
    func theGuestAgentShutsTheGuestDown() async throws {
        let guest = try TestGuest("copy-agent-shutdown", agent: true)
        defer { guest.tearDown() }
        // qemu-ga runs /sbin/shutdown, which the test guest's busybox lacks: power off in its place.
        _ = try guest.exec("printf '#!/bin/sh\\nexec poweroff -f\\n' >/sbin/shutdown && chmod +x /sbin/shutdown")
        let executor = BlockingExecutor(threads: 1)
        let shutdown = GuestShutdown(
            domain: guest.domain, vmName: guest.name, executor: executor, timeout: .seconds(60),
            pollInterval: .milliseconds(200))

        let outcome = try await shutdown.run()
        await executor.shutdown()

        #expect(outcome == .shutDown(by: .agent))
        #expect(try guest.domain.state() == .shutOff)
    }

    @Test(.timeLimit(.minutes(3)))
    func aGuestWithoutAgentThatIgnoresTheACPIButtonIsReportedAfterTheTimeout() async throws {
        let guest = try TestGuest("copy-no-shutdown", agent: false)
        defer { guest.tearDown() }
        let executor = BlockingExecutor(threads: 1)
        let shutdown = GuestShutdown(
            domain: guest.domain, vmName: guest.name, executor: executor, timeout: .seconds(3),
            pollInterval: .milliseconds(200))

        let error = await #expect(throws: EngineError.self) { try await shutdown.run() }
        await executor.shutdown()

        #expect(error?.code == .preconditionFailed)
        #expect(error?.message.contains("within 3 s of the request through the ACPI power button") == true)
        #expect(error?.message.contains("the guest agent did not take the request") == true)
        #expect(try guest.domain.state() == .running)
    }
}
