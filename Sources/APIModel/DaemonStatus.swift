import Foundation

/// `GET /v1/status`.
public struct DaemonStatus: Codable, Sendable {
    public var version: String
    public var started: Date
    public var libvirtURI: String
    public var targetDirectory: String
    public var runningTasks: Int
    public var queuedTasks: Int

    public init(
        version: String, started: Date, libvirtURI: String, targetDirectory: String, runningTasks: Int,
        queuedTasks: Int
    ) {
        self.version = version
        self.started = started
        self.libvirtURI = libvirtURI
        self.targetDirectory = targetDirectory
        self.runningTasks = runningTasks
        self.queuedTasks = queuedTasks
    }
}
