/// The body of `POST /v1/vms/{vm}/backups/{id}/mount`: which disk of the backup to serve.
public struct MountRequest: Codable, Sendable, Equatable {
    /// The disk's target dev (`vda`); may be left out when the backup holds one stored disk.
    public var disk: String?

    public init(disk: String? = nil) {
        self.disk = disk
    }
}

extension MountRequest {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case disk
    }

    /// Decodes the request and refuses fields it does not know, so a typo is an error, not a default.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(disk: try container.decodeUnlessNull(String.self, forKey: .disk))
    }
}
