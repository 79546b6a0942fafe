import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which daemon does a piece of work on a target: its host's name and the id of its state
/// directory, made once and kept there (`<state_dir>/daemon-id`). Hosts of a fleet share one
/// target; each daemon removes only the leftovers its own identity marks.
public struct DaemonIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The host's name, as `gethostname` gives it.
    public var host: String
    /// The daemon's id: a UUID, stable for as long as its state directory lives.
    public var daemonID: String

    public init(host: String, daemonID: String) {
        self.host = host
        self.daemonID = daemonID
    }

    /// This host's name. Wraps `gethostname`.
    public static func currentHost() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: name, as: UTF8.self)
    }

    public var description: String { "daemon \(daemonID) on host \(host)" }
}
