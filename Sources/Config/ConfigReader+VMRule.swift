import APIModel
import TOMLKit

extension ConfigReader {
    /// Reads one `[[vm]]` section: exactly one of `name`, `uuid`, `glob` or `all = true`, then
    /// `include`, `exclude`, `quiesce` and a `[vm.methods]` table of disk = method.
    ///
    /// `element` counts the `[[vm]]` sections from 0, so that each problem is reported at its own line.
    mutating func vmRule(_ table: TOMLTable, element: Int) -> VMRule? {
        let section = ConfigSection("vm", element: element)
        var selectors: [VMRule.Selector] = []
        var rule = VMRule(selector: .all)
        var valid = true
        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "name": string(value, key, section).map { selectors.append(.name($0)) }
            case "uuid": string(value, key, section).map { selectors.append(.uuid($0)) }
            case "glob": string(value, key, section).map { selectors.append(.glob($0)) }
            case "all":
                if value.bool == true {
                    selectors.append(.all)
                } else {
                    issue("'all' can only be true", key: key, in: section)
                }
            case "policy": string(value, key, section).map { rule.policy = $0 }
            case "include": rule.include = diskList(value, key, section)
            case "exclude": rule.exclude = diskList(value, key, section)
            case "quiesce":
                oneOf(QuiescePolicy.allCases.map(\.rawValue), value, key, section)
                    .flatMap(QuiescePolicy.init(rawValue:)).map { rule.quiesce = $0 }
            case "methods":
                let methodsSection = section.child("methods")
                guard let methods = value.table else {
                    issue(
                        "'methods' must be a table of disk = method, e.g. [vm.methods] vdb = \"lvm\"", key: key,
                        in: section)
                    valid = false
                    continue
                }
                let allowed = [SnapshotMethodName.qcow2, .lvm, .btrfs, .reflink].map(\.rawValue)
                for disk in methods.keys {
                    guard let method = methods[disk] else { continue }
                    oneOf(allowed, method, disk, methodsSection).flatMap(SnapshotMethodName.init(rawValue:))
                        .map { rule.methods[disk] = $0 }
                }
            default:
                issue("unknown key '\(key)' in [[vm]]", key: key, in: section)
            }
        }
        if selectors.count != 1 {
            issue("each [[vm]] needs exactly one of name, uuid, glob or all = true", at: section)
            valid = false
        }
        if let include = rule.include, let both = include.first(where: { rule.exclude?.contains($0) == true }) {
            issue("disk \(both) is both included and excluded", key: "exclude", in: section)
            valid = false
        }
        guard valid, let selector = selectors.first else { return nil }
        rule.selector = selector
        return rule
    }

    private mutating func diskList(
        _ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection
    ) -> [String]? {
        guard let array = value.array, let disks = Optional(array.compactMap(\.string)), disks.count == array.count,
            !disks.isEmpty
        else {
            issue("'\(key)' must be a list of disk targets, e.g. [\"vda\"]", key: key, in: section)
            return nil
        }
        return disks
    }
}
