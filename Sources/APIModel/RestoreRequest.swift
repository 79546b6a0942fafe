/// The body of `POST /v1/vms/{vm}/backups/{id}/restore`: where the backup goes, and which disks.
///
/// Exactly one of `to` (new image files in a folder), `as` (a new domain beside the original) and
/// `inPlace` (over the shut-off domain's own disks) says where; `as` may name the folder for its
/// disks with `to`.
public struct RestoreRequest: Codable, Sendable, Equatable {
    /// How a restored or reverted domain is started afterwards.
    public enum Start: String, Codable, Sendable, CaseIterable {
        case running, paused
    }

    /// One disk to restore, from the backup in the path or from another backup of the same VM.
    public struct DiskChoice: Codable, Sendable, Equatable {
        /// The disk's target dev: `vda`.
        public var target: String
        /// An id, a name or `latest`; the backup in the path when absent.
        public var backup: String?

        public init(target: String, backup: String? = nil) {
            self.target = target
            self.backup = backup
        }
    }

    /// The disks to restore; every stored disk of the backup when absent.
    public var disks: [DiskChoice]?
    /// A folder for new image files (`--to`).
    public var to: String?
    /// `qcow2` (the default) or `raw`, for new image files.
    public var format: String?
    /// The name of a new domain defined on the restored disks (`--as`).
    public var `as`: String?
    /// Writes the backup over the domain's own disks; the domain must be shut off (`--in-place`).
    public var inPlace: Bool?
    /// With `inPlace`: shuts a running domain down first (agent, then ACPI, with a timeout).
    public var force: Bool?
    /// Starts the restored or reverted domain afterwards.
    public var start: Start?
    /// With `as`: boots the new domain at once on qcow2 overlays whose backing files are the
    /// stored images, copying nothing; the backup stays in use until the copy is kept or
    /// discarded (`--instant`).
    public var instant: Bool?

    public init(
        disks: [DiskChoice]? = nil, to: String? = nil, format: String? = nil, as name: String? = nil,
        inPlace: Bool? = nil, force: Bool? = nil, start: Start? = nil, instant: Bool? = nil
    ) {
        self.disks = disks
        self.to = to
        self.format = format
        self.as = name
        self.inPlace = inPlace
        self.force = force
        self.start = start
        self.instant = instant
    }
}

extension RestoreRequest {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case disks, to, format, `as`, inPlace, force, start, instant
    }

    /// Decodes the request and refuses fields it does not know, so a typo is an error, not a default.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            disks: try container.decodeUnlessNull([DiskChoice].self, forKey: .disks),
            to: try container.decodeUnlessNull(String.self, forKey: .to),
            format: try container.decodeUnlessNull(String.self, forKey: .format),
            as: try container.decodeUnlessNull(String.self, forKey: .as),
            inPlace: try container.decodeUnlessNull(Bool.self, forKey: .inPlace),
            force: try container.decodeUnlessNull(Bool.self, forKey: .force),
            start: try container.decodeUnlessNull(Start.self, forKey: .start),
            instant: try container.decodeUnlessNull(Bool.self, forKey: .instant))
    }
}

extension RestoreRequest.DiskChoice {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case target, backup
    }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            target: try container.decode(String.self, forKey: .target),
            backup: try container.decodeUnlessNull(String.self, forKey: .backup))
    }
}
