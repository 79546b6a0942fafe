import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What an earlier run of the daemon left of its exports: none survives a restart.
extension ExportRegistry {
    /// Creates the socket folder, stops the qemu-nbd processes an earlier run of the daemon left
    /// serving sockets there (its parent-death signal missed them), and removes stale sockets and
    /// pid files.
    /// Call it at start, before the API answers.
    public func removeLeftovers() async {
        guard let socketFolder else { return }
        let logger = self.logger
        do {
            try await executor.run {
                try Self.prepareFolder(socketFolder)
                let stopped = Self.stopLeftoverProcesses(socketFolder: socketFolder)
                for pid in stopped {
                    logger.notice(
                        "stopped a qemu-nbd an earlier run left serving an export",
                        metadata: ["pid": "\(pid)", "folder": "\(socketFolder)"])
                }
                for file in Self.removeStaleSockets(in: socketFolder) {
                    logger.notice("removed a stale export file", metadata: ["file": "\(file)"])
                }
            }
        } catch {
            logger.error(
                "cannot prepare the folder for export sockets; mounts will fail",
                metadata: ["folder": "\(socketFolder)", "error": "\(error)"])
        }
    }

    /// Creates the folder when missing and makes it 0755: the sockets themselves are 0660.
    private static func prepareFolder(_ folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard chmod(folder, 0o755) == 0 else {
            throw SocketAccessFailure(description: "cannot chmod \(folder): errno \(errno)")
        }
    }

    /// Sends SIGTERM to every qemu-nbd whose socket lies in `socketFolder`, waits up to five
    /// seconds for them to exit, and kills those that still run; returns their process ids.
    private static func stopLeftoverProcesses(socketFolder: String, proc: String = "/proc") -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: proc)) ?? []
        var stopped: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "\(proc)/\(entry)/cmdline")
            else { continue }
            let arguments = data.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard QemuNBDExportCommand.isExport(arguments: arguments, socketFolder: socketFolder) else { continue }
            if kill(pid, SIGTERM) == 0 { stopped.append(pid) }
        }
        for _ in 0..<50 where stopped.contains(where: { kill($0, 0) == 0 }) {
            usleep(100_000)
        }
        for pid in stopped where kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
        }
        return stopped
    }

    /// Removes every socket file and every pid file in `folder`; returns their paths.
    private static func removeStaleSockets(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.map { folder + "/" + $0 }.filter { path in
            let stale =
                QemuNBDServer.isSocket(path) || (path.hasSuffix(".pid") && QemuNBDServer.isRegularFile(path))
            return stale && unlink(path) == 0
        }
    }
}
