/// Why streaming a disk failed: one line that names the disk, the file and the step.
public struct StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed.
    public enum Step: String, Sendable, Equatable {
        /// Reading the image's guest-visible size (`qemu-img info`).
        case inspecting
        /// Creating the destination image (`qemu-img create`).
        case creatingDestination
        /// Serving the source through `qemu-nbd` and connecting to it.
        case openingSource
        /// Serving the destination through `qemu-nbd` and connecting to it.
        case openingDestination
        case reading
        case writing
        /// Flushing the destination to stable storage.
        case flushing
        /// The caller asked to stop; nothing failed.
        case cancelled
    }

    public var step: Step
    /// The disk's target dev, e.g. `vda`; empty when no disk is concerned.
    public var disk: String
    /// The image the step worked on.
    public var path: String
    /// What went wrong, from the layer below.
    public var reason: String

    public init(_ step: Step, disk: String, path: String, reason: String) {
        self.step = step
        self.disk = disk
        self.path = path
        self.reason = reason
    }

    /// The error thrown when streaming stops because it was cancelled.
    public static func cancelled(disk: String, path: String) -> StreamError {
        StreamError(.cancelled, disk: disk, path: path, reason: "cancelled")
    }

    /// Whether streaming stopped because it was cancelled rather than because something failed.
    public var isCancelled: Bool { step == .cancelled }

    public var description: String {
        let subject = disk.isEmpty ? "" : "disk \(disk): "
        return switch step {
        case .inspecting: "\(subject)cannot read the size of \(path): \(reason)"
        case .creatingDestination: "\(subject)cannot create \(path): \(reason)"
        case .openingSource: "\(subject)cannot open source \(path): \(reason)"
        case .openingDestination: "\(subject)cannot open destination \(path): \(reason)"
        case .reading: "\(subject)cannot read \(path): \(reason)"
        case .writing: "\(subject)cannot write \(path): \(reason)"
        case .flushing: "\(subject)cannot flush \(path) to disk: \(reason)"
        case .cancelled: "\(subject)streaming \(path) was cancelled"
        }
    }
}
