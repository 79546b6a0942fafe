import Libvirt
import Logging
import ServiceLifecycle

/// Watches every domain's lifecycle through libvirt's event loop and hands each event to the
/// engine (``BackupEngine/handle(_:)``). The event loop runs on a thread of its own
/// (``LibvirtEventLoop``); keepalive makes a libvirtd that went away noticed within seconds, and
/// the connection is made again (backing off up to 5 s between tries) and the events registered
/// again until shutdown. After each (re)connection, the leftovers of running domains are settled,
/// for the events missed meanwhile.
public struct DomainEventService: Service {
    let engine: BackupEngine
    /// The longest pause between two attempts to reach libvirtd.
    var longestPause: Duration = .seconds(5)

    public init(engine: BackupEngine) {
        self.engine = engine
    }

    private enum Signal: Sendable {
        case event(DomainLifecycleEvent)
        case closed
    }

    public func run() async throws {
        LibvirtEventLoop.start()
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        let logger = engine.logger
        let uri = engine.settings.libvirtURI
        var pause = Duration.milliseconds(100)
        var failures = 0
        while !Task.isCancelled {
            let (signals, continuation) = AsyncStream.makeStream(of: Signal.self)
            let connection: DomainEventConnection
            do {
                connection = try await engine.executor.run {
                    try DomainEventConnection(
                        uri: uri, onEvent: { continuation.yield(.event($0)) }, onClose: { continuation.yield(.closed) })
                }
            } catch {
                failures += 1
                if failures == 1 {
                    logger.warning(
                        "cannot watch domain events; trying again", metadata: ["uri": "\(uri)", "error": "\(error)"])
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, longestPause)
                continue
            }
            logger.info("watching domain lifecycle events", metadata: ["uri": "\(uri)"])
            failures = 0
            pause = .milliseconds(100)
            await withDiscardingTaskGroup { group in
                group.addTask { await engine.settleLeftoversOfRunningDomains() }
                for await signal in signals {
                    switch signal {
                    case .event(let event):
                        let metadata: Logger.Metadata = [
                            "vm.name": "\(event.name)", "event": "\(event.kind)", "detail": "\(event.detail)",
                        ]
                        logger.debug("domain event", metadata: metadata)
                        group.addTask { await engine.handle(event) }
                    case .closed:
                        logger.warning("the libvirt connection for domain events was lost; reconnecting")
                        continuation.finish()
                    }
                }
            }
            logger.debug("domain event watch ended", metadata: ["cancelled": "\(Task.isCancelled)"])
            _ = try? await engine.executor.run { connection.close() }
        }
    }
}

extension DomainEventService: CustomStringConvertible {
    /// How ServiceLifecycle's own log lines name the service.
    public var description: String { "DomainEventService" }
}
