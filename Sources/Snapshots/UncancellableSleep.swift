import Dispatch

/// Sleeps for `duration` even when the task is cancelled, for steps that must run to the end
/// (commit, pivot) and poll while they wait.
public func sleepIgnoringCancellation(_ duration: Duration) async {
    let (seconds, attoseconds) = duration.components
    let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            continuation.resume()
        }
    }
}
