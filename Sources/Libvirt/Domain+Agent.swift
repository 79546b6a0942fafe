import CLibvirt

extension Domain {
    /// How long libvirt waits for the guest agent in each later agent call.
    ///
    /// Wraps `virDomainAgentSetResponseTimeout`.
    public func setAgentTimeout(seconds: Int32) throws(LibvirtError) {
        guard virDomainAgentSetResponseTimeout(pointer, seconds, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainAgentSetResponseTimeout")
        }
    }

    /// Freezes all the guest's filesystems through the guest agent; returns how many were frozen.
    ///
    /// Wraps `virDomainFSFreeze`.
    @discardableResult
    public func fsFreeze() throws(LibvirtError) -> Int32 {
        let frozen = virDomainFSFreeze(pointer, nil, 0, 0)
        guard frozen >= 0 else {
            throw LibvirtError.last(call: "virDomainFSFreeze")
        }
        return frozen
    }

    /// Thaws all the guest's filesystems; returns how many were thawed.
    ///
    /// Wraps `virDomainFSThaw`.
    @discardableResult
    public func fsThaw() throws(LibvirtError) -> Int32 {
        let thawed = virDomainFSThaw(pointer, nil, 0, 0)
        guard thawed >= 0 else {
            throw LibvirtError.last(call: "virDomainFSThaw")
        }
        return thawed
    }

    /// Sends a raw JSON command to the guest agent and returns its JSON reply.
    ///
    /// Wraps `virDomainQemuAgentCommand`.
    public func agentCommand(_ json: String, timeoutSeconds: Int32) throws(LibvirtError) -> String {
        guard let reply = virDomainQemuAgentCommand(pointer, json, timeoutSeconds, 0) else {
            throw LibvirtError.last(call: "virDomainQemuAgentCommand")
        }
        return String(libvirtOwned: reply)
    }
}
