/// The body of `POST /v1/vms/{vm}/backups/{id}/verify`: empty, or `{}`. It takes no field yet;
/// any field is refused, so that a client that means something by one learns that it is not
/// understood.
public struct VerifyRequest: Codable, Sendable, Equatable {
    public init() {}

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: [])
    }

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: StrictDecoding.NoKeys.self)
    }
}
