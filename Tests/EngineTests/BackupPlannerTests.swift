import APIModel
import Foundation
import Libvirt
import Snapshots
import Testing

@testable import Engine

/// A host whose domain, disks and agent the test sets; records what planning asked of it.
private actor FakePlanningHost: PlanningHost {
    var running = true
    var agent = true
    var unreadable = false
    var facts: [String: DiskFacts] = [:]
    var refusing: SnapshotMethodName?
    private(set) var pings = 0
    private(set) var checked: [SnapshotMethodName: [String]] = [:]

    init(
        running: Bool = true, agent: Bool = true, facts: [String: DiskFacts] = [:], refusing: SnapshotMethodName? = nil
    ) {
        self.running = running
        self.agent = agent
        self.facts = facts
        self.refusing = refusing
    }

    func makeUnreadable() { unreadable = true }

    static let xml = """
        <domain type='kvm'><name>web01</name><devices>
          <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
            <source file='/images/web01.qcow2'/><target dev='vda' bus='virtio'/></disk>
          <disk type='block' device='disk'><driver name='qemu' type='raw'/>
            <source dev='/dev/vg0/data'/><target dev='vdb' bus='virtio'/></disk>
        </devices></domain>
        """

    func inspect() async throws -> DomainInspection {
        struct Broken: Error {}
        if unreadable { throw Broken() }
        return DomainInspection(liveXML: Self.xml, persistentXML: "<persistent/>", running: running)
    }

    func facts(of disks: [DomainDisk]) async throws -> [String: DiskFacts] { facts }

    func check(_ method: SnapshotMethodName, disks: [SelectedDisk]) async throws {
        checked[method, default: []] += disks.map(\.target)
        if method == refusing {
            throw SnapshotError(step: .snapshot, vm: "web01", disk: disks.first?.target, message: "no room")
        }
    }

    func agentAnswers() async -> Bool {
        pings += 1
        return agent
    }
}

@Suite struct BackupPlannerTests {
    let lv = ["vdb": DiskFacts(isLogicalVolume: true)]

    private func plan(
        _ host: FakePlanningHost, _ request: BackupRequest = BackupRequest(), quiesce: QuiescePolicy = .preferred,
        pendingThaw: PendingThaw? = nil
    ) async throws -> BackupPlanner.Planned {
        try await BackupPlanner(host: host, defaultQuiesce: quiesce, pendingThaw: pendingThaw)
            .plan(vmName: "web01", vmUUID: "uuid-web01", request: request)
    }

    @Test func eachDiskGetsItsMethodAndEachMethodChecksItsOwnDisks() async throws {
        let host = FakePlanningHost(facts: lv)
        let planned = try await plan(host)
        #expect(planned.plan.selected.map(\.method) == [.qcow2, .lvm])
        #expect(await host.checked == [.qcow2: ["vda"], .lvm: ["vdb"]])
        #expect(planned.domainXML == "<persistent/>")
        #expect(planned.agentAvailable)
    }

    @Test func aMethodThatCannotSnapshotNowFailsThePlanWithItsReason() async throws {
        let host = FakePlanningHost(facts: lv, refusing: .lvm)
        let error = try await #require(throws: EngineError.self) { try await plan(host) }
        #expect(error.code == .preconditionFailed)
        #expect(error.step == .plan)
        #expect(error.message.contains("no room"))
        #expect(error.cause is SnapshotError)
        #expect(await host.pings == 0, "nothing past the refusal is asked")
    }

    @Test func aSilentAgentFailsARequiredQuiesceAndOnlyThat() async throws {
        let silent = FakePlanningHost(agent: false, facts: lv)
        let error = try await #require(throws: EngineError.self) {
            try await plan(silent, BackupRequest(quiesce: .required))
        }
        #expect(error.code == .agentUnavailable)

        let preferred = try await plan(FakePlanningHost(agent: false, facts: lv))
        #expect(!preferred.agentAvailable, "preferred falls back to a crash-consistent backup")
    }

    @Test func theAgentIsNotAskedWhenNoFreezeCanHappen() async throws {
        let off = FakePlanningHost(facts: lv)
        _ = try await plan(off, BackupRequest(quiesce: .off))
        #expect(await off.pings == 0)

        let shutOff = FakePlanningHost(running: false, agent: false, facts: lv)
        let planned = try await plan(shutOff, BackupRequest(quiesce: .required))
        #expect(await shutOff.pings == 0)
        #expect(planned.plan.selected.allSatisfy { $0.method == .offline })
    }

    @Test func aDomainThatCannotBeReadIsAHypervisorFailure() async throws {
        let host = FakePlanningHost()
        await host.makeUnreadable()
        let error = try await #require(throws: EngineError.self) { try await plan(host) }
        #expect(error.code == .hypervisorFailed)
        #expect(error.vm == "web01")
    }

    @Test func aBlockDiskThatIsNoLogicalVolumeCannotBePlanned() async throws {
        let error = try await #require(throws: EngineError.self) { try await plan(FakePlanningHost()) }
        #expect(error.code == .badRequest)
        #expect(error.disk == "vdb")
    }

    @Test func aGuestThatMayStillBeFrozenGetsNoFreezeAndCannotRequireOne() async throws {
        let stuck = PendingThaw(
            vmName: "web01", vmUUID: "uuid-web01", since: Date(timeIntervalSince1970: 0), reason: "thaw unanswered")
        let preferred = FakePlanningHost(facts: lv)
        let planned = try await plan(preferred, pendingThaw: stuck)
        #expect(!planned.agentAvailable, "no freeze: the backup is crash-consistent")
        #expect(await preferred.pings == 0, "a stuck agent is not asked again")

        let required = FakePlanningHost(facts: lv)
        let error = try await #require(throws: EngineError.self) {
            try await plan(required, BackupRequest(quiesce: .required), pendingThaw: stuck)
        }
        #expect(error.code == .agentUnavailable)
        #expect(error.message.contains("may still be frozen"))
        #expect(error.message.contains("--quiesce off"), "the message names a step that works")
        #expect(await required.pings == 0)

        let off = try await plan(FakePlanningHost(facts: lv), BackupRequest(quiesce: .off), pendingThaw: stuck)
        #expect(!off.agentAvailable)
    }
}
