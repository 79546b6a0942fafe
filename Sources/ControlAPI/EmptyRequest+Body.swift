import APIModel

/// The body of `POST .../verify` and `POST .../drill`: empty means `{}`.
extension EmptyRequest: RequestBody {
    static var emptyBody: EmptyRequest { EmptyRequest() }
}
