import APIModel

/// The body of `POST /v1/vms/{vm}/backups/{id}/restore`; an empty one names no place to restore
/// to, which the engine refuses with a message that lists the places.
extension RestoreRequest: RequestBody {
    static var emptyBody: RestoreRequest { RestoreRequest() }

    static func expectation(at path: [any CodingKey]) -> String? {
        switch path.first?.stringValue {
        case "disks" where path.count == 1:
            "an array of disks ({\"target\": \"vda\", \"backup\": \"ID\"}, backup optional)"
        case "disks":
            "a disk: {\"target\": \"vda\"} with an optional \"backup\" (an id, a name or latest)"
        case "start":
            "one of " + RestoreRequest.Start.allCases.map(\.rawValue).joined(separator: ", ")
        case "inPlace", "force", "instant":
            "true or false"
        case "to", "as", "format":
            "a string"
        default:
            nil
        }
    }
}
