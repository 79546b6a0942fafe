import CLVM2Cmd
import Synchronization

/// What lvm2cmd logs while a command runs, collected through its log callback.
///
/// The callback is process-wide and takes no context, so the lines go to one shared buffer; every
/// command runs on `LVMThread`, one at a time, so the buffer holds one command's lines.
enum LVMLog {
    struct Line: Sendable {
        var level: Int32
        var message: String
    }

    private static let lines = Mutex<[Line]>([])

    /// Installs the callback. Wraps `lvm2_log_fn`.
    static let installed: Void = {
        lvm2_log_fn { level, _, _, _, message in
            guard let message else { return }
            let line = Line(level: level, message: String(cString: message))
            LVMLog.lines.withLock { $0.append(line) }
        }
    }()

    /// Returns the lines collected so far and empties the buffer.
    static func drain() -> [Line] {
        lines.withLock { lines in
            defer { lines.removeAll() }
            return lines
        }
    }
}
