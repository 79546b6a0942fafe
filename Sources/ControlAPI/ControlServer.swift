import Hummingbird
import Logging

/// The socket API: HTTP/1.1 and JSON on a Unix socket, answered by a ``BackupController``.
///
/// ```swift
/// let server = ControlServer(socketPath: "/run/vmbackup/vmbackupd.sock", controller: engine, logger: logger)
/// let api = try server.makeApplication()   // throws when another daemon serves the socket
/// let group = ServiceGroup(services: [engine, api], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public struct ControlServer: Sendable {
    /// Where the API listens.
    public let socketPath: String
    /// How many clients it serves at once, and how long it keeps an idle connection.
    public let limits: ConnectionLimits
    private let controller: any BackupController
    private let logger: Logger
    private let onListening: @Sendable () async -> Void

    /// - Parameters:
    ///   - socketPath: The Unix socket to listen on.
    ///   - controller: What answers the requests.
    ///   - limits: The connection limit and idle timeout; by default as
    ///     ``ConnectionLimits/maxConnections(configured:fileLimit:)`` derives them from the
    ///     process's open-file limit.
    ///   - logger: Logs the server's life and, at debug level, each request.
    ///   - onListening: Called once the socket accepts connections (e.g. to tell systemd it is ready).
    public init(
        socketPath: String, controller: some BackupController,
        limits: ConnectionLimits = ConnectionLimits(
            maxConnections: ConnectionLimits.maxConnections(
                configured: nil, fileLimit: ConnectionLimits.processFileLimit()
            ).value),
        logger: Logger, onListening: @escaping @Sendable () async -> Void = {}
    ) {
        self.socketPath = socketPath
        self.limits = limits
        self.controller = controller
        self.logger = logger
        self.onListening = onListening
    }

    /// Prepares the socket path and builds the server, a `Service` to run in the daemon's
    /// `ServiceGroup`.
    ///
    /// Creates the socket's directory (0755) when missing and removes a stale socket file; throws
    /// ``ControlServerError`` when another daemon still answers on the socket. Once listening, the
    /// socket is made 0660.
    public func makeApplication() throws -> some ApplicationProtocol {
        let socketFile = SocketFile(path: socketPath)
        try socketFile.prepareForBinding()

        let router = ControlRouter.make(routes: ControlRoute.all(answeredBy: controller))
        let logger = self.logger
        let onListening = self.onListening
        let gate = ConnectionGate(limit: limits.maxConnections)
        return Application(
            router: router,
            server: .limitedHTTP1(limits, gate: gate),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: socketPath)),
            onServerRunning: { _ in
                do {
                    try socketFile.restrictPermissions()
                } catch {
                    logger.info("Could not restrict the API socket's permissions", metadata: ["error": "\(error)"])
                }
                await onListening()
            },
            logger: logger)
    }
}
