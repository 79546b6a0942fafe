/// A persistent dirty bitmap of a qcow2 image, as `qemu-img info` describes it.
public struct QemuBitmap: Sendable, Equatable {
    public var name: String
    /// Whether it records writes (`auto`): a disabled bitmap stopped at some point.
    public var isRecording: Bool
    /// Whether it was saved when the image was last closed: one flagged `in-use` was not (QEMU
    /// was killed), and may miss writes.
    public var isConsistent: Bool

    public init(name: String, isRecording: Bool, isConsistent: Bool) {
        self.name = name
        self.isRecording = isRecording
        self.isConsistent = isConsistent
    }
}

extension Streamer {
    /// The persistent dirty bitmaps of the qcow2 image at `path`, also while a guest holds it.
    public static func bitmaps(of path: String) async throws -> [QemuBitmap] {
        do {
            return try await QemuImg.bitmaps(of: absolute(path)).map {
                QemuBitmap(
                    name: $0.name, isRecording: $0.flags.contains("auto"), isConsistent: !$0.flags.contains("in-use"))
            }
        } catch {
            throw StreamError(.inspecting, disk: "", path: path, reason: error.description)
        }
    }
}
