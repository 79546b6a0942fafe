import APIModel

extension TaskInfo {
    /// The state with the step the task is in: `running: streaming vda`.
    var displayedState: String {
        step.map { "\(state.rawValue): \($0)" } ?? state.rawValue
    }

    /// `45%  1.2 GiB / 2.7 GiB`; nil until the task knows how much it has to do.
    var displayedProgress: String? {
        guard progress.totalBytes > 0 else { return nil }
        let percent = progress.doneBytes * 100 / progress.totalBytes
        return "\(percent)%  \(ByteCount.format(progress.doneBytes)) / \(ByteCount.format(progress.totalBytes))"
    }
}
