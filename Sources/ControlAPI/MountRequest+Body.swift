import APIModel

/// The body of `POST /v1/vms/{vm}/backups/{id}/mount`; an empty one mounts the backup's only disk.
extension MountRequest: RequestBody {
    static var emptyBody: MountRequest { MountRequest() }

    static func expectation(at path: [any CodingKey]) -> String? {
        path.first?.stringValue == "disk" ? "a disk's target dev, a string: \"vda\"" : nil
    }
}
