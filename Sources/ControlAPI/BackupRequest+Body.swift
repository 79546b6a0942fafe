import APIModel

/// The body of `POST /v1/vms/{vm}/backups`: empty means every default.
extension BackupRequest: RequestBody {
    static var emptyBody: BackupRequest { BackupRequest() }

    static func expectation(at path: [any CodingKey]) -> String? {
        switch path.first?.stringValue {
        case "disks", "exclude":
            path.count == 1 ? "an array of disk target names (strings)" : "a disk target name (a string)"
        case "quiesce":
            "one of " + QuiescePolicy.allCases.map(\.rawValue).joined(separator: ", ")
        case "level":
            "one of " + BackupLevel.allCases.map(\.rawValue).joined(separator: ", ")
        case "methods" where path.count == 2:
            "one of " + SnapshotMethodName.allCases.filter { $0 != .offline }.map(\.rawValue).joined(separator: ", ")
        case "methods":
            "an object of snapshot methods by disk target (\"vdb\": \"lvm\")"
        default:
            nil
        }
    }
}
