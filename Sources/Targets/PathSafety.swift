/// Rules for names that become one path component on the target (VM UUIDs, backup ids, disk
/// targets), so that no name can leave its folder or hide among work in progress.
public enum PathSafety {
    /// Whether `s` is safe as a single path component: non-empty, at most 255 UTF-8 bytes, not
    /// `.` or `..`, without `/` or NUL, not starting with `.` (reserved for `.partial-` folders),
    /// and without control characters.
    public static func isSafeComponent(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 255, !s.hasPrefix(".") else { return false }
        return s.unicodeScalars.allSatisfy { scalar in
            scalar != "/" && scalar.properties.generalCategory != .control
                && scalar.properties.generalCategory != .format
                && scalar.properties.generalCategory != .lineSeparator
                && scalar.properties.generalCategory != .paragraphSeparator
        }
    }

    /// Throws unless `s` is a safe path component; `what` names it in the error.
    static func check(_ s: String, as what: String) throws(TargetError) {
        guard isSafeComponent(s) else {
            throw TargetError("use \(what)", path: s.debugDescription, reason: "not a safe file name", code: .invalid)
        }
    }
}
