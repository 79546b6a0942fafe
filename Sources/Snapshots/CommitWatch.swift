import Foundation

/// One reading of an active commit's progress (`virDomainGetBlockJobInfo`), taken `at` after
/// the watch began.
struct CommitSample: Sendable, Equatable {
    var at: Duration
    var cur: UInt64
    var end: UInt64

    /// What the job still has to copy: QEMU's mirror counts the guest's new writes into `end`.
    var remaining: UInt64 { end > cur ? end - cur : 0 }
}

/// Why a commit is judged not to converge, with the rates measured over the window.
struct NonConvergence: Sendable, Equatable {
    var reason: String
    /// Bytes per second the commit copied.
    var copyRate: UInt64
    /// Bytes per second of new work the guest's writes gave the commit.
    var dirtyRate: UInt64

    /// The guest's write limit for the pivot: a share of the slower of the two rates, so the
    /// guest gives the commit less new work than it copies; never below the minimum.
    func writeLimit(_ convergence: CommitConvergence) -> UInt64 {
        max(convergence.minimumWriteLimit, min(copyRate, dirtyRate) / max(convergence.throttleDivisor, 1))
    }
}

/// Judges, from the job's progress readings, whether an active commit that is not ready yet is
/// closing in. Pure: the caller reads the job and the clock.
///
/// Over the last `window` a commit does not converge when what it has left did not shrink, when
/// it shrank by less than `minimumGain` of what the commit copied (the guest rewrote the rest), or
/// when at the pace it shrank the commit would not be ready before `patience`; and whatever its
/// progress, when it is not ready after `patience`.
struct CommitWatch: Sendable {
    let convergence: CommitConvergence
    private(set) var samples: [CommitSample] = []

    init(_ convergence: CommitConvergence) {
        self.convergence = convergence
    }

    /// Adds a reading of a job that is not ready; returns why it does not converge, or `nil`
    /// while it closes in or the window is not full yet.
    mutating func record(_ sample: CommitSample) -> NonConvergence? {
        samples.append(sample)
        // Keep the newest reading at least one window old as the window's start.
        while samples.count > 2, samples[1].at <= sample.at - convergence.window { samples.removeFirst() }
        let start = samples[0]
        let span = sample.at - start.at
        let copied = sample.cur >= start.cur ? sample.cur - start.cur : 0
        let closing = Int64(clamping: start.remaining) - Int64(clamping: sample.remaining)
        let dirtied = UInt64(max(0, Int64(clamping: copied) - closing))
        func verdict(_ reason: String) -> NonConvergence {
            NonConvergence(
                reason: reason, copyRate: Self.rate(copied, over: span), dirtyRate: Self.rate(dirtied, over: span))
        }
        if sample.at >= convergence.patience {
            return verdict("it was not ready after \(convergence.patience)")
        }
        guard span >= convergence.window else { return nil }
        let seconds = "\(span.components.seconds) s"
        let left = Self.amount(sample.remaining)
        guard closing > 0 else {
            return verdict(
                "it still had \(left) to copy, no less than \(seconds) earlier: the guest writes as fast as it copies")
        }
        if Double(closing) < Double(copied) * convergence.minimumGain {
            return verdict(
                "it copied \(Self.amount(copied)) in \(seconds) but came only \(Self.amount(UInt64(closing))) "
                    + "closer: the guest rewrites most of what it copies")
        }
        let finishing = Self.seconds(span) * Double(sample.remaining) / Double(closing)
        if Self.seconds(sample.at) + finishing > Self.seconds(convergence.patience) {
            return verdict(
                "at the pace it closed in over \(seconds) it would need \(Int(finishing)) s more for the \(left) "
                    + "left, past \(convergence.patience)")
        }
        return nil
    }

    /// Bytes per second, `bytes` over `span`; 0 over no time.
    static func rate(_ bytes: UInt64, over span: Duration) -> UInt64 {
        let seconds = seconds(span)
        guard seconds > 0 else { return 0 }
        return UInt64(Double(bytes) / seconds)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `bytes` for a log line: in MiB, or in KiB below one MiB.
    static func amount(_ bytes: UInt64) -> String {
        bytes < 1 << 20 ? "\(bytes >> 10) KiB" : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
