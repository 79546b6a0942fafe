import APIModel
import Foundation
import TOMLKit

extension DaemonConfig {
    /// Reads a TOML config file over the defaults; reports every problem at once.
    public static func load(path: String) throws(ConfigError) -> DaemonConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(issues: [
                ConfigIssue(file: path, line: nil, message: "cannot read: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text over the defaults. Unknown sections and keys are errors, so typos are caught.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> DaemonConfig {
        let unparseable = TOMLHeaderCheck.problems(text)
        guard unparseable.isEmpty else {
            throw ConfigError(
                issues: unparseable.map {
                    ConfigIssue(
                        file: file, line: $0.line,
                        message: $0.kind == .header
                            ? "a section header needs a name: [name], [[vm]] or [\"quoted name\"]"
                            : "a bracket closes what is not open here: [ ] for a list, { } for an inline table")
                })
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(issues: [
                ConfigIssue(file: file, line: error.source.begin.line, message: error.description)
            ])
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: file, line: nil, message: "\(error)")])
        }
        var reader = ConfigReader(file: file, text: text)
        var config = DaemonConfig()
        var vmEntries: [(rule: VMRule, element: Int)] = []
        var declaredPolicies: Set<String> = []
        for section in root.keys {
            if section == "policy", let value = root[section] {
                (config.policies, declaredPolicies) = reader.policies(value, timeZone: config.timeZone)
                continue
            }
            if section == "targets", let value = root[section] {
                config.namedTargets = reader.namedTargets(value)
                continue
            }
            if section == "vm" {
                guard let entries = root[section]?.array else {
                    reader.issue("'vm' must be a list of sections: [[vm]]", key: section, in: .root)
                    continue
                }
                vmEntries = entries.enumerated().compactMap { element, entry in
                    guard let table = entry.table else {
                        reader.issue("each [[vm]] must be a section", at: ConfigSection("vm", element: element))
                        return nil
                    }
                    return reader.vmRule(table, element: element).map { ($0, element) }
                }
                continue
            }
            guard let table = root[section]?.table else {
                reader.issue("'\(section)' must be a section: [\(section)]", key: section, in: .root)
                continue
            }
            guard ["daemon", "api", "target", "backup"].contains(section) else {
                reader.issue(
                    "unknown section [\(section)] (known: daemon, api, target, targets.NAME, backup, policy.NAME, "
                        + "[[vm]])",
                    at: ConfigSection(section))
                continue
            }
            let name = section
            let section = ConfigSection(name)
            for key in table.keys {
                guard let value = table[key] else { continue }
                switch (name, key) {
                case ("daemon", "socket"): reader.path(value, key, section).map { config.socketPath = $0 }
                case ("daemon", "state_dir"): reader.path(value, key, section).map { config.stateDirectory = $0 }
                case ("daemon", "libvirt_uri"): reader.string(value, key, section).map { config.libvirtURI = $0 }
                case ("daemon", "log_level"):
                    reader.oneOf(DaemonConfig.logLevels, value, key, section).map { config.logLevel = $0 }
                case ("daemon", "max_concurrent_jobs"):
                    reader.integer(value, key, section, in: 1...64).map { config.maxConcurrentJobs = $0 }
                case ("daemon", "sendmail"): reader.path(value, key, section).map { config.sendmailPath = $0 }
                case ("daemon", "task_history_days"):
                    reader.integer(value, key, section, in: 1...3650).map { config.taskHistoryDays = $0 }
                case ("api", "max_connections"):
                    reader.integer(value, key, section, in: 1...65536).map { config.apiMaxConnections = $0 }
                case ("api", "idle_timeout"):
                    reader.integer(value, key, section, in: 1...86400).map { config.apiIdleTimeoutSeconds = $0 }
                case ("target", "directory"): reader.path(value, key, section).map { config.targetDirectory = $0 }
                case ("target", "max_concurrent_jobs"):
                    reader.integer(value, key, section, in: 1...64).map { config.targetMaxConcurrentJobs = $0 }
                case ("backup", "quiesce"):
                    reader.oneOf(QuiescePolicy.allCases.map(\.rawValue), value, key, section)
                        .flatMap(QuiescePolicy.init(rawValue:)).map { config.quiesce = $0 }
                case ("backup", "agent_timeout"):
                    reader.integer(value, key, section, in: 1...3600).map { config.agentTimeoutSeconds = $0 }
                case ("backup", "freeze_timeout"):
                    reader.integer(value, key, section, in: 1...3600).map { config.freezeTimeoutSeconds = $0 }
                case ("backup", "lvm_snapshot_percent"):
                    reader.integer(value, key, section, in: 1...100).map { config.lvmSnapshotPercent = $0 }
                case ("backup", "lvm_snapshot_min_mib"):
                    reader.integer(value, key, section, in: 1...(1 << 20)).map { config.lvmSnapshotMinimumMiB = $0 }
                default:
                    reader.issue("unknown key '\(key)' in [\(section)]", key: key, in: section)
                }
            }
        }
        for (rule, element) in vmEntries {
            // A policy with errors of its own was reported at its lines: it is not missing.
            if let policy = rule.policy, config.policies[policy] == nil, !declaredPolicies.contains(policy) {
                let known = config.policies.keys.sorted().joined(separator: ", ")
                reader.issue(
                    "[[vm]] names policy \(ConfigReader.quoted(policy)), but there is no [policy.\(policy)]"
                        + (known.isEmpty ? "" : " (known: \(known))"), key: "policy",
                    in: ConfigSection("vm", element: element))
            }
        }
        let targetNames = config.targets.map(\.name)
        for policy in config.policies.values.sorted(by: { $0.name < $1.name }) {
            if let target = policy.target, !targetNames.contains(target) {
                reader.issue(
                    "[policy.\(policy.name)] names target \(ConfigReader.quoted(target)), but there is no "
                        + "[targets.\(target)] (known: \(targetNames.joined(separator: ", ")))", key: "target",
                    in: ConfigSection("policy." + policy.name))
            }
        }
        reader.checkDistinct(config.targets)
        config.vms = vmEntries.map(\.rule)
        if !reader.issues.isEmpty { throw ConfigError(issues: reader.issues) }
        return config
    }
}
