import Libvirt
import Testing

/// Codes, domains and messages as libvirt 9.0 reports them when libvirtd is killed under a live
/// connection (checked against a real libvirtd), and errors that must not count as a lost
/// connection.
@Suite struct ConnectionLossTests {
    static let internalError: Int32 = 1
    static let invalidConnection: Int32 = 6
    static let operationInvalid: Int32 = 55
    static let systemError: Int32 = 38
    static let fromQemu: Int32 = 10
    static let fromRPC: Int32 = 7

    static func error(_ code: Int32, _ domain: Int32, _ message: String) -> LibvirtError {
        LibvirtError(code: code, domain: domain, message: message, call: "virDomainGetBlockJobInfo")
    }

    @Test(arguments: [
        "Cannot write data: Broken pipe",
        "End of file while reading data: Input/output error",
        "Cannot recv data: Connection reset by peer",
        "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
        "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused",
    ])
    func aSystemErrorOfTheRPCLayerAboutTheSocketIsALostConnection(message: String) {
        #expect(Self.error(Self.systemError, Self.fromRPC, message).isConnectionLost)
    }

    @Test func everyCallAfterTheLossSaysTheClientSocketIsClosed() {
        #expect(
            Self.error(Self.internalError, Self.fromRPC, "internal error: client socket is closed").isConnectionLost)
    }

    @Test func aClosedConnectionHandleIsALostConnection() {
        #expect(
            Self.error(Self.invalidConnection, 6, "invalid connection pointer in virConnectGetLibVersion")
                .isConnectionLost)
    }

    @Test func theSameWordsFromQEMUOrAnotherCodeAreNot() {
        // A broken pipe to a disk image, or QEMU's own internal error, says nothing of libvirtd.
        #expect(!Self.error(Self.systemError, Self.fromQemu, "Cannot write data: Broken pipe").isConnectionLost)
        #expect(!Self.error(Self.internalError, Self.fromQemu, "client socket is closed").isConnectionLost)
        #expect(!Self.error(Self.operationInvalid, Self.fromRPC, "domain is not running").isConnectionLost)
        #expect(!Self.error(Self.internalError, Self.fromRPC, "unable to execute QEMU command").isConnectionLost)
    }
}

@Suite struct ReconnectBackoffTests {
    @Test func pausesDoubleFromTheFirstUpToTheLongest() {
        let backoff = ReconnectBackoff(first: .milliseconds(100), longest: .seconds(1), total: .seconds(5))
        #expect(
            backoff.delays.prefix(6) == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
    }

    @Test func thePausesNeverAddUpToMoreThanTheTotal() {
        for total in [Duration.zero, .milliseconds(50), .seconds(1), .seconds(10), .seconds(60)] {
            let delays = ReconnectBackoff(total: total).delays
            #expect(delays.reduce(.zero, +) <= total, "total \(total)")
        }
    }

    @Test func theStandardBackoffWaitsAboutAMinuteInShortSteps() {
        let delays = ReconnectBackoff.standard.delays
        #expect(delays.reduce(.zero, +) > .seconds(55))
        #expect(delays.reduce(.zero, +) <= .seconds(60))
        #expect(delays.allSatisfy { $0 <= .seconds(5) })
        #expect(delays.first == .milliseconds(100), "a restart of under a second is caught at once")
    }

    @Test func noTotalMeansNoPause() {
        #expect(ReconnectBackoff(total: .zero).delays == [])
    }
}

@Suite struct DomainLifecycleEventTests {
    // virDomainEventType and its details, as libvirt-domain.h numbers them.
    static let defined: Int32 = 0
    static let undefined: Int32 = 1
    static let started: Int32 = 2
    static let stopped: Int32 = 5
    static let renamedDetail: Int32 = 2

    @Test func startsStopsAndUndefinitionsAreNamed() {
        #expect(DomainLifecycleEvent.kind(event: Self.started, detail: 0) == .started)
        #expect(DomainLifecycleEvent.kind(event: Self.stopped, detail: 2) == .stopped)
        #expect(DomainLifecycleEvent.kind(event: Self.undefined, detail: 0) == .undefined)
        #expect(DomainLifecycleEvent.kind(event: Self.defined, detail: 0) == .defined)
    }

    @Test func aRenameIsNeitherAnUndefinitionNorADefinition() {
        #expect(DomainLifecycleEvent.kind(event: Self.undefined, detail: 1) == .renamed)
        #expect(DomainLifecycleEvent.kind(event: Self.defined, detail: Self.renamedDetail) == .renamed)
    }

    @Test func anEventLibvirtAddsLaterIsKeptAsOther() {
        #expect(DomainLifecycleEvent.kind(event: 42, detail: 0) == .other(42))
    }
}
