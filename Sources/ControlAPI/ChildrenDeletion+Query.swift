import APIModel

extension ChildrenDeletion {
    /// The `children` query parameter of `DELETE /v1/vms/{vm}/backups/{id}`; nil when it is
    /// absent (the engine then merges, as `children=merge` asks). Throws `bad_request` naming the
    /// values it may take.
    static func requested(in query: RequestQuery) throws(APIErrorInfo) -> ChildrenDeletion? {
        guard let value = try query.value("children") else { return nil }
        guard let deletion = ChildrenDeletion(rawValue: value) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIErrorInfo(.badRequest, "query parameter 'children' must be one of \(allowed), not '\(value)'")
        }
        return deletion
    }
}
