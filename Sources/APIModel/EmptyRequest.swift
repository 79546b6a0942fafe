/// The body of a route that takes no field yet (`POST .../verify`, `POST .../drill`): empty, or
/// `{}`. Any field is refused, so that a client that means something by one learns that it is not
/// understood.
public struct EmptyRequest: Codable, Sendable, Equatable {
    public init() {}

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: [])
    }

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: StrictDecoding.NoKeys.self)
    }
}
