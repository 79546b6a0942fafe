import Libvirt
import Snapshots
import Testing

@testable import Engine

@Suite struct ConnectionLossClassificationTests {
    static let lost = LibvirtError(
        code: 38, domain: 7, message: "Cannot write data: Broken pipe", call: "virDomainBlockCommit")
    static let notRunning = LibvirtError(
        code: 55, domain: 10, message: "Requested operation is not valid: domain is not running",
        call: "virDomainBlockCommit")

    @Test func aLostConnectionIsFoundUnderTheSnapshotAndEngineErrorsThatWrapIt() {
        let snapshot = SnapshotError(
            step: .commit, vm: "web", disk: "vda", message: "the disk may still run on its overlay", cause: Self.lost)
        let engine = EngineError(.mergeFailed, "merging failed", step: .merge, vm: "web", cause: snapshot)
        #expect(EngineError.connectionLost(Self.lost))
        #expect(EngineError.connectionLost(snapshot))
        #expect(EngineError.connectionLost(engine))
    }

    @Test func otherFailuresAreNotRepeated() {
        let snapshot = SnapshotError(
            step: .commit, vm: "web", disk: "vda", message: "the VM is not running", cause: Self.notRunning)
        #expect(!EngineError.connectionLost(snapshot))
        #expect(!EngineError.connectionLost(EngineError(.mergeFailed, "merging failed", step: .merge)))
        #expect(!EngineError.connectionLost(CancellationError()))
    }
}

@Suite(.timeLimit(.minutes(1))) struct KeyedLockTests {
    actor Order {
        var events: [String] = []
        func note(_ event: String) { events.append(event) }
    }

    @Test func holdersOfOneKeyTakeTurnsOtherKeysDoNotWait() async {
        let lock = KeyedLock()
        let order = Order()
        await lock.lock("vm-a")
        let waiting = Task {
            await lock.lock("vm-a")
            await order.note("second holder of vm-a")
            await lock.unlock("vm-a")
        }
        await lock.lock("vm-b")
        await order.note("holder of vm-b")
        await lock.unlock("vm-b")
        try? await Task.sleep(for: .milliseconds(50))
        await order.note("first holder of vm-a lets go")
        await lock.unlock("vm-a")
        await waiting.value
        #expect(
            await order.events == ["holder of vm-b", "first holder of vm-a lets go", "second holder of vm-a"])
        // Free again.
        await lock.lock("vm-a")
        await lock.unlock("vm-a")
    }
}
