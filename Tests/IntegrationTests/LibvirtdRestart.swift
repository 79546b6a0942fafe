import Foundation

/// Stops and starts the host's libvirtd the way a package upgrade does (no systemd here:
/// scripts/testhost/libvirtd-up.sh starts it as `libvirtd -d`). QEMU and its guests keep running.
enum LibvirtdRestart {
    /// Kills libvirtd and waits until it is gone.
    static func stop() throws {
        let pids = try Shell.run(["pidof", "libvirtd"], check: false).stdout.split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        for pid in pids { kill(pid, SIGTERM) }
        for _ in 0..<100 {
            if try Shell.run(["pidof", "libvirtd"], check: false).status != 0 { return }
            usleep(50_000)
        }
        for pid in pids { kill(pid, SIGKILL) }
        usleep(200_000)
    }

    /// Starts libvirtd as libvirtd-up.sh does and waits until `virsh version` answers.
    static func start() throws {
        if try Shell.run(["pidof", "libvirtd"], check: false).status != 0 {
            // Through system(3), which waits for its child itself; with no signal blocked (this
            // process's threads block most, a child inherits the mask, and libvirtd would ignore
            // SIGTERM); its output elsewhere (the daemon keeps the pipes it is given open for good).
            let command =
                "python3 -c \"import signal, os; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                + "os.execvp('libvirtd', ['libvirtd', '-d'])\" </dev/null >/dev/null 2>&1"
            guard system(command) == 0 else {
                throw Shell.Failure(
                    command: ["libvirtd -d"], output: .init(status: 1, stdout: "", stderr: "libvirtd did not start"))
            }
        }
        for _ in 0..<100 {
            if (try? TestHost.virsh(["version"], check: false))?.status == 0 { return }
            usleep(100_000)
        }
        throw Shell.Failure(
            command: ["libvirtd -d"], output: .init(status: 1, stdout: "", stderr: "libvirtd did not answer"))
    }

    /// Makes sure libvirtd runs, whatever a test did: for `defer`.
    static func ensureRunning() {
        _ = try? start()
    }
}
