/// The pauses between attempts to reach libvirtd again after the connection was lost: from
/// `first`, doubling up to `longest`, until they add up to `total`. Pure, so that its bounds are
/// unit-tested.
public struct ReconnectBackoff: Sendable, Equatable {
    public var first: Duration
    public var longest: Duration
    public var total: Duration

    /// Up to about a minute: libvirtd restarted by a package upgrade is back well within it.
    public static let standard = ReconnectBackoff(total: .seconds(60))

    public init(first: Duration = .milliseconds(100), longest: Duration = .seconds(5), total: Duration) {
        self.first = first
        self.longest = longest
        self.total = total
    }

    /// Every pause, in order; their sum is at most `total`.
    public var delays: [Duration] {
        var delays: [Duration] = []
        var next = first
        var sum = Duration.zero
        while next > .zero, sum + next <= total {
            delays.append(next)
            sum += next
            next = min(next * 2, longest)
        }
        return delays
    }
}
