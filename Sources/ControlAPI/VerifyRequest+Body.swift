import APIModel

/// The body of `POST /v1/vms/{vm}/backups/{id}/verify`: empty means `{}`.
extension VerifyRequest: RequestBody {
    static var emptyBody: VerifyRequest { VerifyRequest() }
}
