import APIModel

/// The body of `POST /v1/vms/{vm}/prune`: empty means a real prune, not a dry run.
extension PruneRequest: RequestBody {
    static var emptyBody: PruneRequest { PruneRequest() }
}
