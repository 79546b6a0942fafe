import Libvirt
import Testing

/// Codes and messages as libvirt 9.0 reports them (checked against a live guest with the agent
/// off, and one without an agent channel).
@Suite struct LibvirtErrorTests {
    static let agentUnresponsive: Int32 = 86
    static let agentUnsynced: Int32 = 97
    static let argumentUnsupported: Int32 = 74
    static let operationUnsupported: Int32 = 84
    static let operationTimeout: Int32 = 68
    static let operationInvalid: Int32 = 55
    static let internalError: Int32 = 1

    static func error(_ code: Int32, _ message: String) -> LibvirtError {
        LibvirtError(code: code, domain: 10, message: message, call: "virDomainFSFreeze")
    }

    @Test func descriptionNamesTheCall() {
        let error = Self.error(
            Self.agentUnresponsive, "Guest agent is not responding: QEMU guest agent is not connected")
        #expect(
            error.description == "virDomainFSFreeze: Guest agent is not responding: QEMU guest agent is not connected")
    }

    @Test func agentNotConnectedIsUnavailable() {
        #expect(
            Self.error(Self.agentUnresponsive, "Guest agent is not responding: QEMU guest agent is not connected")
                .isAgentUnavailable)
    }

    @Test func agentNotConfiguredIsUnavailable() {
        #expect(
            Self.error(Self.argumentUnsupported, "argument unsupported: QEMU guest agent is not configured")
                .isAgentUnavailable)
    }

    @Test func agentUnsyncedIsUnavailable() {
        #expect(Self.error(Self.agentUnsynced, "guest agent replied with wrong id to guest-sync").isAgentUnavailable)
    }

    @Test func stateLockHeldByAgentIsUnavailable() {
        let message =
            "Timed out during operation: cannot acquire state change lock (held by agent=remoteDispatchDomainFSFreeze)"
        #expect(Self.error(Self.operationTimeout, message).isAgentUnavailable)
    }

    @Test func stateLockHeldByMonitorIsNotAgentUnavailable() {
        let message =
            "Timed out during operation: cannot acquire state change lock "
            + "(held by monitor=remoteDispatchDomainBlockJobAbort)"
        #expect(!Self.error(Self.operationTimeout, message).isAgentUnavailable)
    }

    @Test func unsupportedArgumentNotAboutTheAgentIsNotAgentUnavailable() {
        #expect(
            !Self.error(Self.argumentUnsupported, "argument unsupported: unsupported flags (0x4)").isAgentUnavailable)
    }

    @Test func domainNotRunningIsNotAgentUnavailable() {
        #expect(
            !Self.error(Self.operationInvalid, "Requested operation is not valid: domain is not running")
                .isAgentUnavailable)
    }

    @Test func freezeHookFailureIsNotAgentUnavailable() {
        let message = "internal error: unable to execute QEMU agent command 'guest-fsfreeze-freeze': hook failed"
        #expect(!Self.error(Self.internalError, message).isAgentUnavailable)
    }

    @Test func noDomainIsRecognised() {
        #expect(Self.error(42, "Domain not found: no domain with matching name 'x'").isNoDomain)
        #expect(!Self.error(Self.agentUnresponsive, "x").isNoDomain)
    }
}
