import APIModel

extension ChildrenDeletion {
    /// The `children` query parameter of `DELETE /v1/vms/{vm}/backups/{id}`; nil when it is
    /// absent. Throws `bad_request` naming the values it may take.
    static func requested(in query: RequestQuery) throws(APIErrorInfo) -> ChildrenDeletion? {
        guard let value = try query.value("children") else { return nil }
        if let deletion = ChildrenDeletion(rawValue: value) {
            return deletion
        } else if value == "merge" {
            throw APIErrorInfo(
                .badRequest, "children=merge needs incremental backups, which this version does not make")
        } else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: " or ")
            throw APIErrorInfo(.badRequest, "query parameter 'children' must be \(allowed), not '\(value)'")
        }
    }
}
