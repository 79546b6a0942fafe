import Hummingbird
import NIOCore

/// The per-request context of the socket API.
///
/// This is where the peer-credential check will hook in: read the connecting process's
/// credentials (`SO_PEERCRED`) from `source.channel` in ``init(source:)``, keep them here, and
/// let a middleware in ``ControlRouter`` refuse callers that may not use the API.
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Request bodies are small JSON documents.
    var maxUploadSize: Int { ControlRequestContext.maxBodySize }

    /// The largest request body the API reads: 64 KiB.
    static let maxBodySize = 64 * 1024
}
