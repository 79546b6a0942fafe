import APIModel
import Foundation
import Scheduling
import TOMLKit

extension ConfigReader {
    /// Reads the `[policy.NAME]` sections: schedule, randomized_delay, keep_*, quiesce, target,
    /// max_concurrent_jobs, verify_schedule, reverify_after, drill_schedule, level, full_every,
    /// max_chain.
    ///
    /// Returns the valid policies, and the names of every policy the file declares, valid or not
    /// (so a `[[vm]]` naming a policy with errors is not told that it is missing).
    mutating func policies(
        _ value: TOMLValueConvertible, timeZone: TimeZone
    ) -> (valid: [String: BackupPolicy], declared: Set<String>) {
        guard let table = value.table else {
            issue("'policy' must hold sections: [policy.NAME]", at: ConfigSection("policy"))
            return ([:], [])
        }
        var policies: [String: BackupPolicy] = [:]
        var declared: Set<String> = []
        for name in table.keys {
            let section = ConfigSection("policy." + name)
            declared.insert(name)
            guard let body = table[name]?.table else {
                issue("'\(name)' must be a section: [\(section)]", key: name, in: ConfigSection("policy"))
                continue
            }
            guard PolicyName.isValid(name) else {
                issue("policy name \(Self.quoted(name)) must be letters, digits, '-' or '_'", at: section)
                continue
            }
            if let policy = policy(named: name, body, section: section, timeZone: timeZone) {
                policies[name] = policy
            }
        }
        return (policies, declared)
    }

    private mutating func policy(
        named name: String, _ table: TOMLTable, section: ConfigSection, timeZone: TimeZone
    ) -> BackupPolicy? {
        var policy = BackupPolicy(name: name)
        var keep: [RetentionOption: Int] = [:]
        let before = issues.count
        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "schedule":
                guard let text = string(value, key, section) else { continue }
                do {
                    policy.schedule = try CalendarExpression(text, timeZone: timeZone)
                } catch {
                    issue("'schedule' \(Self.quoted(text)): \(error)", key: key, in: section)
                }
            case "verify_schedule":
                guard let text = string(value, key, section) else { continue }
                do {
                    policy.verifySchedule = try CalendarExpression(text, timeZone: timeZone)
                } catch {
                    issue("'verify_schedule' \(Self.quoted(text)): \(error)", key: key, in: section)
                }
            case "drill_schedule":
                guard let text = string(value, key, section) else { continue }
                do {
                    policy.drillSchedule = try CalendarExpression(text, timeZone: timeZone)
                } catch {
                    issue("'drill_schedule' \(Self.quoted(text)): \(error)", key: key, in: section)
                }
            case "reverify_after":
                guard let text = string(value, key, section) else { continue }
                guard let seconds = Self.seconds(in: text) else {
                    issue(
                        "'reverify_after' \(Self.quoted(text)) must be a whole number and a unit: s, m, h, d or w "
                            + "(\"30d\", \"12h\")", key: key, in: section)
                    continue
                }
                policy.reverifyAfterSeconds = seconds
            case "level":
                oneOf(BackupLevel.allCases.map(\.rawValue), value, key, section)
                    .flatMap(BackupLevel.init(rawValue:)).map { policy.level = $0 }
            case "full_every":
                guard let text = string(value, key, section) else { continue }
                guard let seconds = Self.seconds(in: text), seconds > 0 else {
                    issue(
                        "'full_every' \(Self.quoted(text)) must be a whole number and a unit: s, m, h, d or w "
                            + "(\"7d\", \"1w\")", key: key, in: section)
                    continue
                }
                policy.fullEverySeconds = seconds
            case "max_chain":
                integer(value, key, section, in: 1...1000).map { policy.maxChain = $0 }
            case "randomized_delay":
                integer(value, key, section, in: 0...86_400).map { policy.randomizedDelaySeconds = $0 }
            case "target":
                guard let target = string(value, key, section) else { continue }
                guard TargetSettings.isValidName(target) else {
                    issue("'target' \(Self.quoted(target)) is not a target name", key: key, in: section)
                    continue
                }
                policy.target = target
            case "max_concurrent_jobs":
                integer(value, key, section, in: 1...64).map { policy.maxConcurrentJobs = $0 }
            case "quiesce":
                oneOf(QuiescePolicy.allCases.map(\.rawValue), value, key, section)
                    .flatMap(QuiescePolicy.init(rawValue:)).map { policy.quiesce = $0 }
            case "notify_webhook": webhook(value, key, section).map { policy.notify.webhook = $0 }
            case "notify_mail": mailAddresses(value, key, section).map { policy.notify.mailTo = $0 }
            case "notify_on":
                oneOf(NotificationSettings.Occasion.allCases.map(\.rawValue), value, key, section)
                    .flatMap(NotificationSettings.Occasion.init(rawValue:)).map { policy.notify.occasion = $0 }
            default:
                guard let option = RetentionOption.allCases.first(where: { Self.key(of: $0) == key }) else {
                    let known =
                        [
                            "schedule", "randomized_delay", "quiesce", "target", "max_concurrent_jobs",
                            "verify_schedule", "reverify_after", "drill_schedule", "level", "full_every", "max_chain",
                            "notify_webhook", "notify_mail", "notify_on",
                        ]
                        + RetentionOption.allCases.map(Self.key)
                    issue(
                        "unknown key '\(key)' in [\(section)] (known: \(known.joined(separator: ", ")))", key: key,
                        in: section)
                    continue
                }
                integer(value, key, section, in: 0...100_000).map { keep[option] = $0 }
            }
        }
        if table.keys.contains("notify_on") && policy.notify.isEmpty {
            issue("'notify_on' needs notify_webhook or notify_mail in [\(section)]", key: "notify_on", in: section)
        }
        guard issues.count == before else { return nil }
        do {
            policy.retention = try RetentionPolicy(
                keepLast: keep[.last], keepHourly: keep[.hourly], keepDaily: keep[.daily],
                keepWeekly: keep[.weekly], keepMonthly: keep[.monthly], keepYearly: keep[.yearly])
        } catch {
            issue("[\(section)]: \(error)", at: section)
            return nil
        }
        return policy
    }

    /// `keep_daily` for `keep-daily`: TOML keys use underscores like every other key here.
    static func key(of option: RetentionOption) -> String {
        option.rawValue.replacingOccurrences(of: "-", with: "_")
    }
}

/// What a policy may be called: it appears in `[policy.NAME]`, `policy = "NAME"` and the API.
enum PolicyName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
    }
}
