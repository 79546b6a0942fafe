/// One checkpoint of a domain, as `virDomainListAllCheckpoints` lists it.
public struct DomainCheckpoint: Sendable, Equatable {
    /// The checkpoint's name; the dirty bitmap it started has the same name.
    public var name: String
    /// The checkpoint made before it, or `nil` for the first of a chain.
    public var parent: String?

    public init(name: String, parent: String?) {
        self.name = name
        self.parent = parent
    }

    /// The name as the daemon's own, or `nil` for a checkpoint someone else made.
    public var ownName: CheckpointName? { CheckpointName(name) }
}
