/// The body of `POST /v1/vms/{vm}/backups`. Every field is optional.
public struct BackupRequest: Codable, Sendable, Equatable {
    /// A human name for the backup.
    public var name: String?
    /// Target devs (`vda`) of the disks to back up; all writable disks when absent.
    public var disks: [String]?
    /// Target devs of disks to leave out.
    public var exclude: [String]?
    public var quiesce: QuiescePolicy?
    /// Snapshot methods by disk target (`{"vdb": "lvm"}`), overriding the default and the config.
    public var methods: [String: SnapshotMethodName]?
    /// The name of the target to write to, overriding the VM's policy (`default` otherwise).
    public var target: String?
    /// Full, incremental, differential or auto, overriding the VM's policy (full otherwise).
    public var level: BackupLevel?

    public init(
        name: String? = nil, disks: [String]? = nil, exclude: [String]? = nil, quiesce: QuiescePolicy? = nil,
        methods: [String: SnapshotMethodName]? = nil, target: String? = nil, level: BackupLevel? = nil
    ) {
        self.level = level
        self.name = name
        self.disks = disks
        self.exclude = exclude
        self.quiesce = quiesce
        self.methods = methods
        self.target = target
    }
}

extension BackupRequest {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, disks, exclude, quiesce, methods, target, level
    }

    /// Decodes the request and refuses fields it does not know, so a typo is an error, not a default.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decodeUnlessNull(String.self, forKey: .name),
            disks: try container.decodeUnlessNull([String].self, forKey: .disks),
            exclude: try container.decodeUnlessNull([String].self, forKey: .exclude),
            quiesce: try container.decodeUnlessNull(QuiescePolicy.self, forKey: .quiesce),
            methods: try container.decodeUnlessNull([String: SnapshotMethodName].self, forKey: .methods),
            target: try container.decodeUnlessNull(String.self, forKey: .target),
            level: try container.decodeUnlessNull(BackupLevel.self, forKey: .level))
    }
}
