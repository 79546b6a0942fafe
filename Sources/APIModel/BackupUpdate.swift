/// The body of `PUT /v1/vms/{vm}/backups/{id}`: what to change of a backup. Absent fields stay as
/// they are; an empty `name` or `description` removes it.
public struct BackupUpdate: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    /// Protect the backup from retention and deletion, or lift the protection.
    public var protected: Bool?

    public init(name: String? = nil, description: String? = nil, protected: Bool? = nil) {
        self.name = name
        self.description = description
        self.protected = protected
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, protected
    }

    /// Decodes the update and refuses fields it does not know.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decodeUnlessNull(String.self, forKey: .name),
            description: try container.decodeUnlessNull(String.self, forKey: .description),
            protected: try container.decodeUnlessNull(Bool.self, forKey: .protected))
    }

    /// Whether the update changes nothing.
    public var isEmpty: Bool { name == nil && description == nil && protected == nil }
}
