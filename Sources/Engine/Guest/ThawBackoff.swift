/// The pauses between background thaws: short at first (an agent that was only slow answers
/// soon), then growing to `longest`, so a guest whose agent is stuck for good costs one call a
/// minute.
struct ThawBackoff: Sendable, Equatable {
    var first: Duration = .seconds(1)
    var longest: Duration = .seconds(60)

    /// The pause before try number `attempt` (0 for the first): `first`, doubled each time, at
    /// most `longest`.
    func delay(beforeAttempt attempt: Int) -> Duration {
        var delay = first
        for _ in 0..<min(attempt, 32) {
            delay = delay * 2
            if delay >= longest { return longest }
        }
        return min(delay, longest)
    }

    /// Whether a failed try is logged as a warning: the first few, then about once an hour.
    func isWorthAWarning(attempt: Int) -> Bool {
        attempt <= 3 || attempt % 60 == 0
    }
}
