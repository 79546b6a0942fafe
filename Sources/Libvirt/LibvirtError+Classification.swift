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

    static func number(_ value: virErrorNumber) -> Int32 {
        Int32(bitPattern: value.rawValue)
    }
}
