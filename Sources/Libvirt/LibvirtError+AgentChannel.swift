import CLibvirt

extension LibvirtError {
    /// The domain has no guest agent channel ("QEMU guest agent is not configured"): no agent
    /// call can reach the guest, so nothing can have been frozen through one. An agent that is
    /// configured but does not answer is not this: it may be stuck mid-freeze.
    public var isAgentNotConfigured: Bool {
        switch code {
        case Self.number(VIR_ERR_ARGUMENT_UNSUPPORTED), Self.number(VIR_ERR_OPERATION_UNSUPPORTED):
            return message.lowercased().contains("agent") && message.lowercased().contains("not configured")
        default:
            return false
        }
    }
}
