import APIModel
import Foundation

extension DaemonConfig {
    /// Warnings for the `[[vm]]` rules that select none of `domains` (a name or UUID mistyped, a
    /// glob that matches nothing), each at the line of the rule's selector. `text` and `file` are
    /// the config file this configuration was parsed from.
    public func rulesMatchingNoDomain(
        _ domains: [(name: String, uuid: String)], text: String, file: String
    ) -> [ConfigIssue] {
        let lines = ConfigLines(text: text)
        var warnings: [ConfigIssue] = []
        // A file that parses has one rule per [[vm]] section, in order.
        for (element, rule) in vms.enumerated() {
            let section = ConfigSection("vm", element: element)
            let (key, shown): (String, String) =
                switch rule.selector {
                case .name(let name): ("name", "name \(ConfigReader.quoted(name))")
                case .uuid(let uuid): ("uuid", "uuid \(ConfigReader.quoted(uuid))")
                case .glob(let glob): ("glob", "glob \(ConfigReader.quoted(glob))")
                case .all: ("all", "all = true")
                }
            guard !domains.contains(where: { rule.matches(name: $0.name, uuid: $0.uuid) }) else { continue }
            warnings.append(
                ConfigIssue(
                    file: file, line: lines.line(of: key, in: section),
                    message: "warning: [[vm]] \(shown) matches no domain"))
        }
        return warnings
    }
}
