import APIModel
import TOMLKit

extension ConfigReader {
    /// Reads the `[targets.NAME]` sections: `directory` (required) and `max_concurrent_jobs`.
    mutating func namedTargets(_ value: TOMLValueConvertible) -> [String: TargetSettings] {
        guard let table = value.table else {
            issue("'targets' must hold sections: [targets.NAME]", at: ConfigSection("targets"))
            return [:]
        }
        var targets: [String: TargetSettings] = [:]
        for name in table.keys {
            let section = ConfigSection("targets." + name)
            guard let body = table[name]?.table else {
                issue("'\(name)' must be a section: [\(section)]", key: name, in: ConfigSection("targets"))
                continue
            }
            guard TargetSettings.isValidName(name) else {
                issue("target name \(Self.quoted(name)) must be letters, digits, '-' or '_'", at: section)
                continue
            }
            guard name != TargetSettings.defaultName else {
                issue(
                    "the target named \(Self.quoted(name)) is the one of [target]; give this one another name",
                    at: section)
                continue
            }
            var directory: String?
            var limit = 2
            let before = issues.count
            for key in body.keys {
                guard let value = body[key] else { continue }
                switch key {
                case "directory": directory = path(value, key, section)
                case "max_concurrent_jobs": integer(value, key, section, in: 1...64).map { limit = $0 }
                default:
                    issue(
                        "unknown key '\(key)' in [\(section)] (known: directory, max_concurrent_jobs)", key: key,
                        in: section)
                }
            }
            guard issues.count == before else { continue }
            guard let directory else {
                issue("[\(section)] needs a directory", at: section)
                continue
            }
            targets[name] = TargetSettings(name: name, directory: directory, maxConcurrentJobs: limit)
        }
        return targets
    }

    /// Two targets may not share a directory, nor lie one inside the other: each backup lives on
    /// one target, and a rebuild would find it on both.
    mutating func checkDistinct(_ targets: [TargetSettings]) {
        for (index, target) in targets.enumerated() {
            for other in targets[..<index] where Self.overlap(target.directory, other.directory) {
                let section = ConfigSection(
                    target.name == TargetSettings.defaultName ? "target" : "targets." + target.name)
                let otherSection = other.name == TargetSettings.defaultName ? "target" : "targets." + other.name
                issue(
                    "[\(section)] directory \(Self.quoted(target.directory)) overlaps [\(otherSection)] directory "
                        + "\(Self.quoted(other.directory)); each target needs a directory of its own",
                    key: "directory", in: section)
            }
        }
    }

    private static func overlap(_ lhs: String, _ rhs: String) -> Bool {
        let left = normalized(lhs)
        let right = normalized(rhs)
        return left == right || left.hasPrefix(right + "/") || right.hasPrefix(left + "/")
    }

    private static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
