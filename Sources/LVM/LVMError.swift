/// A failed lvm command: what was run, how lvm2cmd ended it, and lvm's own error messages.
public struct LVMError: Error, Sendable, CustomStringConvertible {
    /// How the command ended, from `lvm2_run`'s return value.
    public enum Status: Sendable, Equatable {
        /// `lvm2_init` returned no handle.
        case initFailed
        /// `LVM2_NO_SUCH_COMMAND`
        case noSuchCommand
        /// `LVM2_INVALID_PARAMETERS`
        case invalidParameters
        /// `LVM2_PROCESSING_FAILED`
        case processingFailed
        /// Any other value.
        case other(Int32)
        /// The command succeeded but its report could not be read.
        case unreadableReport

        init(returnValue: Int32) {
            switch returnValue {
            case 2: self = .noSuchCommand
            case 3: self = .invalidParameters
            case 4: self = .initFailed
            case 5: self = .processingFailed
            default: self = .other(returnValue)
            }
        }
    }

    /// The command line given to lvm, e.g. `lvs vg0`.
    public var command: String
    public var status: Status
    /// What lvm logged at error level while running it, in order.
    public var messages: [String]

    public init(command: String, status: Status, messages: [String]) {
        self.command = command
        self.status = status
        self.messages = messages
    }

    public var description: String {
        let reason = messages.isEmpty ? "\(status)" : messages.joined(separator: "; ")
        return "lvm \(command): \(reason)"
    }
}
