/// A snapshot step that failed for one VM (and disk): what, where, and the error below it.
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public enum Step: String, Sendable {
        case snapshot
        case commit
        case pivot
        case verify
        case cleanup
    }

    public var step: Step
    /// The domain's name.
    public var vm: String
    /// The disk's target dev, `nil` when the step concerns every disk at once.
    public var disk: String?
    /// What went wrong and what state it left behind.
    public var message: String
    /// The error below, kept as a value (a `LibvirtError`, `LVMError`, `BtrfsError`, ...), so that
    /// callers can classify it.
    public var cause: (any Error)?

    public init(step: Step, vm: String, disk: String?, message: String, cause: (any Error)? = nil) {
        self.step = step
        self.vm = vm
        self.disk = disk
        self.message = message
        self.cause = cause
    }

    /// One line naming the VM, the disk and the step.
    public var description: String {
        let place = disk.map { "VM \(vm), disk \($0)" } ?? "VM \(vm)"
        let cause = cause.map { " (\($0))" } ?? ""
        return "\(place), \(step.rawValue): \(message)\(cause)"
    }
}

extension SnapshotError {
    /// An error about one or several disks of `vm`: one disk is named as `disk`, several are
    /// named at the start of the message.
    init(_ step: Step, vm: String, disks: [String], message: String, cause: (any Error)?) {
        let text = disks.count > 1 ? "disks \(disks.joined(separator: ", ")): \(message)" : message
        self.init(step: step, vm: vm, disk: disks.count == 1 ? disks[0] : nil, message: text, cause: cause)
    }
}
