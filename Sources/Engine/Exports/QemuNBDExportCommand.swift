/// The command line of one export: `qemu-nbd` serving a stored image read-only on a Unix socket
/// until it is stopped.
///
/// Two wrappers come first, each replacing itself with the next program (the process id stays
/// qemu-nbd's): `env --default-signal` gives it default signal handling with no signal blocked
/// (a child inherits the mask of the thread that started it, and the daemon's threads block the
/// signals its signal sources read), so that SIGTERM stops it; `setpriv --pdeathsig TERM` has the
/// kernel send it SIGTERM when the daemon dies, however the daemon dies.
enum QemuNBDExportCommand {
    /// How many clients may read the export at once (qemu-nbd's `--shared`).
    static let clients = 8

    /// The export's argv, starting with the program to run.
    ///
    /// `--read-only` opens the image read-only (a shared lock; nothing is ever written to it) and
    /// refuses writes from clients; `--persistent` keeps serving after a client disconnects;
    /// no `--fork`: qemu-nbd stays the daemon's child, stopped by SIGTERM. qemu-nbd writes
    /// `pidFile` once the image is open and it serves, which is how the daemon knows it is ready
    /// (the socket appears earlier, before the image is opened). The export has the default
    /// (empty) name, which `nbd+unix:///?socket=...` names.
    static func arguments(
        image: String, format: String, socket: String, pidFile: String, description: String
    ) -> [String] {
        [
            "env", "--default-signal", "--",
            "setpriv", "--pdeathsig", "TERM", "--",
            "qemu-nbd", "--read-only", "--persistent", "--shared=\(clients)", "--format=\(format)",
            "--socket=\(socket)", "--pid-file=\(pidFile)", "--description=\(description)", "--", image,
        ]
    }

    /// Whether `arguments` (a process's argv, as `/proc/PID/cmdline` has it) is a qemu-nbd serving
    /// a socket in `folder`: an export an earlier run of the daemon started there.
    static func isExport(arguments: [String], socketFolder folder: String) -> Bool {
        guard let program = arguments.first, program == "qemu-nbd" || program.hasSuffix("/qemu-nbd") else {
            return false
        }
        let prefix = "--socket=" + (folder.hasSuffix("/") ? folder : folder + "/")
        return arguments.dropFirst().prefix { $0 != "--" }.contains { $0.hasPrefix(prefix) }
    }
}

extension QemuNBDExportCommand {
    /// The file qemu-nbd writes its process id to once it serves `socket`: beside it, `.pid`
    /// instead of `.sock`.
    static func pidFile(forSocket socket: String) -> String {
        (socket.hasSuffix(".sock") ? String(socket.dropLast(5)) : socket) + ".pid"
    }
}
