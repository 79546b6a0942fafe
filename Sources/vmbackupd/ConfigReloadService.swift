import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on each SIGHUP (`systemctl reload vmbackupd`), until shutdown.
struct ConfigReloadService: Service {
    let reload: @Sendable () async -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                await reload()
            }
        } onGracefulShutdown: {
        }
    }
}

extension ConfigReloadService: CustomStringConvertible {
    /// How ServiceLifecycle's own log lines name the service.
    var description: String { "ConfigReloadService" }
}
