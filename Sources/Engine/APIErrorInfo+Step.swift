import APIModel

extension APIErrorInfo {
    /// Turns whatever a job step threw into the API's error: errors that already are
    /// ``APIErrorInfo`` pass through; others get the code of the step that failed and their own
    /// one-line description.
    public init(describing error: any Error, step: String) {
        if let info = error as? APIErrorInfo {
            self = info
            return
        }
        if error is CancellationError || String(describing: error).hasSuffix("cancelled") {
            self.init(.cancelled, "\(step) cancelled")
            return
        }
        let code: APIErrorCode =
            switch step {
            case "freeze", "thaw": .freezeFailed
            case "snapshot": .snapshotFailed
            case "stream": .streamFailed
            case "merge": .mergeFailed
            case "publish", "prepare the target": .targetFailed
            default: .internal
            }
        self.init(code, "\(step) failed: \(error)")
    }
}
