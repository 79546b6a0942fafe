#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many clients the socket API serves at once, and how long it keeps an idle connection.
///
/// Every connection costs the daemon a file descriptor, and so do its jobs: the catalog, libvirt,
/// target files, qemu-nbd sockets. The connection limit stays at most half of the process's
/// open-file limit (`RLIMIT_NOFILE`, `LimitNOFILE=` in the systemd unit), so that clients can
/// never take the descriptors a running backup needs.
public struct ConnectionLimits: Sendable, Equatable {
    /// The most connections open at once; at the limit, a new one replaces the connection idle
    /// the longest, or, when every connection is busy with a request, is answered 503.
    public var maxConnections: Int
    /// How long a connection may stay without a request (or in the middle of sending one) before
    /// the daemon closes it.
    public var idleTimeout: Duration

    public init(maxConnections: Int, idleTimeout: Duration = Self.defaultIdleTimeout) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    public static let defaultIdleTimeout = Duration.seconds(60)
    /// The default limit where the open-file limit allows more: far more than any host's users.
    public static let defaultMaxConnections = 1024

    /// The limit to use: `configured` (or ``defaultMaxConnections``), lowered to half of
    /// `fileLimit` when that is less. `lowered` says whether a configured value was lowered.
    public static func maxConnections(configured: Int?, fileLimit: Int?) -> (value: Int, lowered: Bool) {
        let wanted = configured ?? defaultMaxConnections
        guard let fileLimit else { return (wanted, false) }
        let ceiling = max(1, fileLimit / 2)
        guard wanted > ceiling else { return (wanted, false) }
        return (ceiling, configured != nil)
    }

    /// The process's soft limit of open files, `nil` when unlimited (`RLIM_INFINITY`) or unknown.
    ///
    /// Wraps `getrlimit(RLIMIT_NOFILE)`.
    public static func processFileLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}
