import Foundation

/// The body of `POST /v1/vms/{vm}/prune`.
public struct PruneRequest: Codable, Sendable, Equatable {
    /// Only say what would be removed.
    public var dryRun: Bool

    public init(dryRun: Bool = false) {
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case dryRun
    }

    /// Decodes the request and refuses fields it does not know.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownFields(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dryRun: try container.decodeUnlessNull(Bool.self, forKey: .dryRun) ?? false)
    }
}

/// The answer of `POST /v1/vms/{vm}/prune`: every backup of the VM with what retention decided.
public struct PruneResult: Codable, Sendable, Equatable {
    /// One backup and the decision about it.
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var created: Date
        /// `keep`, `remove`, or `merge`: removed after what it holds is merged into the kept
        /// backups `mergeInto` names.
        public var action: String
        /// Why it is kept (`keep-daily`, `protected`, `newest good backup`, `needed by ID`, ...).
        public var reasons: [String]
        /// The target holding the backup; retention applies to each target's backups apart.
        public var target: String?
        /// For `merge`: the kept backups made on top of it that absorb what they read from it.
        public var mergeInto: [String]?

        public init(
            id: String, name: String?, created: Date, action: String, reasons: [String], target: String? = nil,
            mergeInto: [String]? = nil
        ) {
            self.id = id
            self.name = name
            self.created = created
            self.action = action
            self.reasons = reasons
            self.target = target
            self.mergeInto = mergeInto
        }
    }

    public var vmName: String
    /// The retention policy applied, e.g. `keep-last=3 keep-daily=7`.
    public var policy: String
    public var dryRun: Bool
    /// Newest first, target by target.
    public var entries: [Entry]
    /// The ids removed (or, for a dry run, that would be), merged ones included, children before
    /// their parents.
    public var removed: [String]

    public init(vmName: String, policy: String, dryRun: Bool, entries: [Entry], removed: [String]) {
        self.vmName = vmName
        self.policy = policy
        self.dryRun = dryRun
        self.entries = entries
        self.removed = removed
    }
}
