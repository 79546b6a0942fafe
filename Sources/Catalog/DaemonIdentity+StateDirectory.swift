import Foundation
import Targets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension DaemonIdentity {
    /// The name of the file in the state directory that keeps the daemon's id.
    public static let fileName = "daemon-id"

    /// The identity of the daemon whose state directory is `directory`: this host's name and
    /// the id kept in `<directory>/daemon-id`, made (a new UUID, written to a scratch file,
    /// fsynced and renamed into place) the first time. Call it while holding the
    /// ``StateDirectoryLock``.
    public static func load(stateDirectory directory: String) throws(StateDirectoryError) -> DaemonIdentity {
        let path = directory + "/" + fileName
        if let data = FileManager.default.contents(atPath: path) {
            let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard UUID(uuidString: id) != nil else {
                throw .unusable(
                    path: path, reason: "it does not hold a daemon id (a UUID); remove it to make a new one")
            }
            return DaemonIdentity(host: currentHost(), daemonID: id.lowercased())
        }
        let id = UUID().uuidString.lowercased()
        let scratch = path + ".new"
        let descriptor = open(scratch, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unusable(path: scratch, reason: String(cString: strerror(errno))) }
        let line = Array((id + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == line.count, synced, rename(scratch, path) == 0 else {
            throw .unusable(path: path, reason: String(cString: strerror(errno)))
        }
        return DaemonIdentity(host: currentHost(), daemonID: id)
    }
}
