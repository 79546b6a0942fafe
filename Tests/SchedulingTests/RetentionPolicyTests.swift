import Foundation
import Testing

@testable import Scheduling

/// The policy's own rules, and the plan's shape for a dry-run table.
@Suite struct RetentionPolicyTests {
    private typealias F = RetentionFixture

    @Test(arguments: RetentionOption.allCases)
    func aNegativeCountIsRefusedNamingTheOption(option: RetentionOption) {
        #expect(throws: RetentionPolicyError.negativeCount(option, -1)) { try Self.policy(option, -1) }
        #expect(
            RetentionPolicyError.negativeCount(option, -1).description
                == "\(option.rawValue) must be 0 or more, not -1; leave it unset to not use it")
    }

    @Test func theFirstNegativeCountInOrderIsReported() {
        #expect(throws: RetentionPolicyError.negativeCount(.daily, -2)) {
            try RetentionPolicy(keepLast: 3, keepDaily: -2, keepYearly: -1)
        }
    }

    @Test(arguments: RetentionOption.allCases)
    func zeroIsAValidCountThatKeepsNothing(option: RetentionOption) throws {
        let policy = try Self.policy(option, 0)

        #expect(policy.count(for: option) == 0)
        #expect(!policy.keepsEverything)
    }

    @Test func onlyAPolicyWithNoOptionSetKeepsEverything() throws {
        #expect(RetentionPolicy.keepEverything.keepsEverything)
        #expect(try RetentionPolicy().keepsEverything)
        #expect(try !RetentionPolicy(keepYearly: 1).keepsEverything)
    }

    @Test func describesItsOptionsInTheOrderTheyApply() throws {
        let policy = try RetentionPolicy(keepLast: 3, keepDaily: 13, keepWeekly: 0, keepYearly: 9)

        #expect(policy.description == "keep-last=3 keep-daily=13 keep-weekly=0 keep-yearly=9")
        #expect(RetentionPolicy.keepEverything.description == "keep everything")
    }

    /// A dry run lists every backup newest first with its creation time, keep, remove or merge,
    /// and why, or into which backups.
    @Test func thePlanHasARowPerBackupForADryRun() throws {
        let full = F.backup(2026, 3, 1)
        let backups = [
            full, F.backup(2026, 3, 2, parent: full.id), F.backup(2026, 3, 3, isGood: false),
            F.backup(2025, 1, 1, isProtected: true),
        ]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.rows.map(\.id) == ["2026-03-03T00:00Z", "2026-03-02T00:00Z", "2026-03-01T00:00Z", "2025-01-01T00:00Z"])
        #expect(
            plan.rows.map(\.created) == [
                F.date(2026, 3, 3), F.date(2026, 3, 2), F.date(2026, 3, 1), F.date(2025, 1, 1),
            ])
        #expect(plan.rows.map(\.action) == [.keep, .keep, .merge, .keep])
        #expect(
            plan.rows.map { $0.reasons.map(\.description) } == [
                ["failed verification (kept until deleted by hand)"], ["keep-last", "newest good backup"], [],
                ["protected"],
            ])
        #expect(plan.rows.map(\.mergeInto) == [[], [], ["2026-03-02T00:00Z"], []])
        #expect(plan.reasons(for: "2026-03-03T00:00Z") == [.failedVerification])
        #expect(plan.reasons(for: "2025-01-01T00:00Z") == [.protected])
    }

    @Test func everyReasonReadsAsAShortPhrase() {
        let reasons: [RetentionReason] = [
            .last, .hourly, .daily, .weekly, .monthly, .yearly, .protected, .newest, .neededBy("b1"), .noPolicy,
            .failedVerification,
        ]

        #expect(
            reasons.map(\.description) == [
                "keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly", "protected",
                "newest good backup", "needed by b1", "no retention policy",
                "failed verification (kept until deleted by hand)",
            ])
    }

    private static func policy(_ option: RetentionOption, _ count: Int) throws(RetentionPolicyError)
        -> RetentionPolicy
    {
        switch option {
        case .last: try RetentionPolicy(keepLast: count)
        case .hourly: try RetentionPolicy(keepHourly: count)
        case .daily: try RetentionPolicy(keepDaily: count)
        case .weekly: try RetentionPolicy(keepWeekly: count)
        case .monthly: try RetentionPolicy(keepMonthly: count)
        case .yearly: try RetentionPolicy(keepYearly: count)
        }
    }
}
