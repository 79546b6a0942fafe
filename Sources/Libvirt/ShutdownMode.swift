/// How a guest is asked to shut itself down.
public enum ShutdownMode: Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Through the QEMU guest agent (`guest-shutdown`): the guest's own orderly shutdown, which
    /// works whatever the guest's ACPI setup, but only while the agent runs.
    case agent
    /// A press of the virtual ACPI power button: works without an agent, but only on a guest that
    /// handles the button (acpid, systemd-logind, Windows' power settings).
    case acpi

    public var description: String {
        switch self {
        case .agent: "the guest agent"
        case .acpi: "the ACPI power button"
        }
    }
}
