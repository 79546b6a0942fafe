/// Why a retention policy was refused.
public enum RetentionPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A keep option was given a count below zero.
    case negativeCount(RetentionOption, Int)

    public var description: String {
        switch self {
        case .negativeCount(let option, let value):
            "\(option) must be 0 or more, not \(value); leave it unset to not use it"
        }
    }
}
