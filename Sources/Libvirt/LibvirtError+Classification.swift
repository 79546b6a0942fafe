import CLibvirt

extension LibvirtError {
    /// The domain does not exist (`VIR_ERR_NO_DOMAIN`).
    public var isNoDomain: Bool {
        code == Self.number(VIR_ERR_NO_DOMAIN)
    }

    /// The guest agent cannot be used: not configured in the domain, not connected, not answering,
    /// or stuck in an earlier command.
    ///
    /// True for `VIR_ERR_AGENT_UNRESPONSIVE` and `VIR_ERR_AGENT_UNSYNCED`, and for
    /// `VIR_ERR_ARGUMENT_UNSUPPORTED`, `VIR_ERR_OPERATION_UNSUPPORTED` and `VIR_ERR_OPERATION_TIMEOUT`
    /// only when libvirt's message is about the agent (e.g. "QEMU guest agent is not configured",
    /// "cannot acquire state change lock (held by agent=...)"). A command the agent ran and failed
    /// (a freeze hook that exits 1) is not "unavailable".
    public var isAgentUnavailable: Bool {
        switch code {
        case Self.number(VIR_ERR_AGENT_UNRESPONSIVE), Self.number(VIR_ERR_AGENT_UNSYNCED):
            return true
        case Self.number(VIR_ERR_ARGUMENT_UNSUPPORTED), Self.number(VIR_ERR_OPERATION_UNSUPPORTED):
            let text = message.lowercased()
            return text.contains("agent")
                && (text.contains("not configured") || text.contains("not connected")
                    || text.contains("not available") || text.contains("not responding"))
        case Self.number(VIR_ERR_OPERATION_TIMEOUT):
            return message.lowercased().contains("held by agent")
        default:
            return false
        }
    }

    /// A block job exists but is not ready for the requested step yet (`VIR_ERR_BLOCK_COPY_ACTIVE`).
    public var isBlockJobNotReady: Bool {
        code == Self.number(VIR_ERR_BLOCK_COPY_ACTIVE)
    }

    /// The connection to libvirtd is gone, or libvirtd cannot be reached: it stopped or is
    /// restarting. The call may or may not have been carried out.
    ///
    /// What libvirt 9.0 reports when libvirtd goes away under a connection: the first call after
    /// it fails with `VIR_ERR_SYSTEM_ERROR` "Cannot write data: Broken pipe" (or "End of file
    /// while reading data", "Cannot recv data: Connection reset by peer" when the reply was being
    /// awaited), every later call with `VIR_ERR_INTERNAL_ERROR` "client socket is closed";
    /// opening a connection meanwhile fails with `VIR_ERR_SYSTEM_ERROR` "Failed to connect socket
    /// ...: No such file or directory" or "Connection refused". A keepalive timeout closes the
    /// connection like the former. `VIR_ERR_INVALID_CONN` and `VIR_ERR_NO_CONNECT` say there is no
    /// usable connection at all.
    public var isConnectionLost: Bool {
        switch code {
        case Self.number(VIR_ERR_INVALID_CONN), Self.number(VIR_ERR_NO_CONNECT):
            return true
        case Self.number(VIR_ERR_SYSTEM_ERROR), Self.number(VIR_ERR_INTERNAL_ERROR), Self.number(VIR_ERR_RPC):
            guard domain == Self.number(VIR_FROM_RPC) || domain == Self.number(VIR_FROM_REMOTE) else { return false }
            let text = message.lowercased()
            return Self.connectionLostPhrases.contains { text.contains($0) }
        default:
            return false
        }
    }

    private static let connectionLostPhrases = [
        "broken pipe", "end of file while reading", "connection reset", "client socket is closed",
        "cannot write data", "cannot recv data", "failed to connect socket", "connection refused",
        "keepalive timeout",
    ]

    static func number(_ value: virErrorNumber) -> Int32 {
        Int32(bitPattern: value.rawValue)
    }

    static func number(_ value: virErrorDomain) -> Int32 {
        Int32(bitPattern: value.rawValue)
    }
}
