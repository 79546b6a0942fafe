import CLVM2Cmd

/// Runs lvm commands in-process through liblvm2cmd, one at a time, on a dedicated thread.
///
/// Every runner shares the one lvm thread, so even several runners never call lvm2cmd at once.
public actor LVMCommandRunner {
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        LVMThread.shared.asUnownedSerialExecutor()
    }

    public init() {}

    /// Runs one lvm command line, e.g. `lvs --noheadings -o lv_name vg0`, and returns what it
    /// printed (one line per message).
    ///
    /// Each command gets a fresh lvm context: one kept across commands caches device labels and
    /// metadata, so a command would not see what the one before it changed.
    ///
    /// Wraps `lvm2_init`, `lvm2_run` (which returns `LVM2_COMMAND_SUCCEEDED`, 1, on success) and
    /// `lvm2_exit`.
    @discardableResult
    public func run(_ command: String) throws(LVMError) -> String {
        LVMLog.installed
        _ = LVMLog.drain()
        guard let handle = lvm2_init() else {
            throw LVMError(command: command, status: .initFailed, messages: LVMLog.drain().map(\.message))
        }
        defer { lvm2_exit(handle) }
        let result = lvm2_run(handle, command)
        let lines = LVMLog.drain()
        guard result == LVM2_COMMAND_SUCCEEDED else {
            let errors = lines.filter { $0.level <= LVM2_LOG_ERROR }.map(\.message)
            let messages = errors.isEmpty ? lines.map(\.message) : errors
            throw LVMError(command: command, status: LVMError.Status(returnValue: result), messages: messages)
        }
        return lines.filter { $0.level == LVM2_LOG_PRINT }.map(\.message).joined(separator: "\n")
    }
}
