import Foundation

/// How `release` tells an active block commit that cannot catch up with the guest's writes, and
/// how it gets the pivot done anyway: the guest's writes to the disk are throttled until the
/// commit is ready and pivoted, then the disk's own limits are set back.
///
/// The defaults leave a commit that closes in alone for five minutes and notice one that does
/// not within ten seconds; the throttle lasts at most two more minutes, all within the commit's
/// ten-minute timeout.
public struct CommitConvergence: Sendable, Equatable {
    /// How far back a verdict looks at the job's progress. Long enough to span many rounds of
    /// QEMU's mirror loop, so that one burst of writes is not taken for a trend; short enough that
    /// a commit chasing the guest's writes is noticed within seconds.
    public var window: Duration = .seconds(10)
    /// How much closer a converging commit comes, at the least, for each byte it copies: a
    /// quarter. Less, and the guest rewrites more than three quarters of what it copies.
    public var minimumGain: Double = 0.25
    /// How long a commit may run without being ready before it counts as not converging even
    /// while it still closes in: half the default commit timeout, leaving the other half for the
    /// throttled pivot. One that would not be ready by then at the pace it closes in does not
    /// converge either.
    public var patience: Duration = .seconds(300)
    /// How long the commit gets to become ready once the guest's writes are throttled; not ready
    /// by then, it is aborted and the disk stays on its overlay.
    public var throttledWait: Duration = .seconds(120)
    /// The guest's writes are held to this share of the slower of the rate the commit copies and
    /// the rate the guest gives it new work: a quarter leaves the commit three quarters of its
    /// speed to close in.
    public var throttleDivisor: UInt64 = 4
    /// The write limit is never lower than this (bytes per second), so the guest still writes.
    public var minimumWriteLimit: UInt64 = 256 * 1024
    /// Caps the rate the commit copies at (bytes per second; 0: no cap). For tests that need a
    /// commit the guest outruns; set by `VMBACKUPD_COMMIT_BANDWIDTH`.
    public var commitBandwidth: UInt64 = 0

    public init() {}

    /// The defaults, with the commit bandwidth that `VMBACKUPD_COMMIT_BANDWIDTH` asks for (bytes
    /// per second) and the window `VMBACKUPD_COMMIT_WINDOW` asks for (seconds), if any: knobs for
    /// tests that make a commit the guest outruns and want it noticed sooner.
    public static let standard: CommitConvergence = {
        var convergence = CommitConvergence()
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["VMBACKUPD_COMMIT_BANDWIDTH"], let bytes = UInt64(text) {
            convergence.commitBandwidth = bytes
        }
        if let text = environment["VMBACKUPD_COMMIT_WINDOW"], let seconds = Int(text), seconds > 0 {
            convergence.window = .seconds(seconds)
        }
        return convergence
    }()
}
