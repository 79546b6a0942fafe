/// A backup target as the daemon runs it: `[target]` in the config file is the one named
/// `default`, each `[targets.NAME]` another. `GET /v1/status` lists them.
public struct TargetSettings: Codable, Sendable, Equatable {
    /// The name policies and requests use (`target = "offsite"`, `--target offsite`).
    public var name: String
    /// The directory target's root.
    public var directory: String
    /// How many backups write to this target at once.
    public var maxConcurrentJobs: Int

    public init(name: String, directory: String, maxConcurrentJobs: Int = 2) {
        self.name = name
        self.directory = directory
        self.maxConcurrentJobs = maxConcurrentJobs
    }

    /// The name of the target of `[target]`, used when neither a request nor a policy names one.
    public static let defaultName = "default"

    /// Whether `name` may name a target: letters, digits, `-` and `_`, at most 64 characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
    }
}
