import Blocking
import Dispatch

/// Sleeps for `duration` even when the task is cancelled, for steps that must run to the end
/// (commit, pivot) and poll while they wait.
public func sleepIgnoringCancellation(_ duration: Duration) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + duration.dispatchInterval) {
            continuation.resume()
        }
    }
}
