#if canImport(Glibc)
    import Glibc
#endif

/// The config file's settings for the VMs it selects (`[[vm]]`): which disks, by which method,
/// with which quiesce policy. A request's own fields win over these.
public struct VMRule: Sendable, Equatable {
    public enum Selector: Sendable, Equatable {
        case name(String)
        case uuid(String)
        /// A shell pattern over VM names (`web-*`).
        case glob(String)
        case all
    }

    public var selector: Selector
    /// Back up only these disks.
    public var include: [String]?
    public var exclude: [String]?
    /// Snapshot methods by disk target.
    public var methods: [String: SnapshotMethodName]
    public var quiesce: QuiescePolicy?
    /// The name of the `[policy.NAME]` (schedule, retention) of the VMs this rule selects.
    public var policy: String?

    public init(
        selector: Selector, include: [String]? = nil, exclude: [String]? = nil,
        methods: [String: SnapshotMethodName] = [:], quiesce: QuiescePolicy? = nil, policy: String? = nil
    ) {
        self.selector = selector
        self.include = include
        self.exclude = exclude
        self.methods = methods
        self.quiesce = quiesce
        self.policy = policy
    }

    public func matches(name: String, uuid: String) -> Bool {
        switch selector {
        case .name(let wanted): wanted == name
        case .uuid(let wanted): wanted.lowercased() == uuid.lowercased()
        case .glob(let pattern): fnmatch(pattern, name, 0) == 0
        case .all: true
        }
    }
}

extension BackupRequest {
    /// This request with the first matching rule's settings filling what it leaves open; its
    /// own per-disk methods win over the rule's.
    public func applying(_ rules: [VMRule], name: String, uuid: String) -> BackupRequest {
        guard let rule = rules.first(where: { $0.matches(name: name, uuid: uuid) }) else { return self }
        var merged = self
        if merged.disks == nil { merged.disks = rule.include }
        if merged.exclude == nil { merged.exclude = rule.exclude }
        if merged.quiesce == nil { merged.quiesce = rule.quiesce }
        let methods = rule.methods.merging(self.methods ?? [:]) { _, request in request }
        merged.methods = methods.isEmpty ? nil : methods
        return merged
    }
}
