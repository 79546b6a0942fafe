/// A stored qcow2 image as one layer of a backing chain: what it reads through, and what it
/// takes on the target.
public struct ImageLayer: Sendable, Equatable {
    /// The backing file as the image names it (relative to the image's folder, or absolute);
    /// `nil` for an image that holds its whole content.
    public var backingFile: String?
    /// The bytes the image file takes on its filesystem.
    public var storedBytes: UInt64

    public init(backingFile: String?, storedBytes: UInt64) {
        self.backingFile = backingFile
        self.storedBytes = storedBytes
    }
}

/// Reading and rewriting the backing links of stored images, for deleting a backup that others
/// are made on top of.
extension Streamer {
    /// The backing file the qcow2 image at `path` names, and its size on disk: `qemu-img info`.
    public static func layer(of path: String) async throws -> ImageLayer {
        do {
            let found = try await QemuImg.layer(of: path)
            return ImageLayer(backingFile: found.backingFile, storedBytes: found.actualSize)
        } catch {
            throw StreamError(.inspecting, disk: "", path: path, reason: error.description)
        }
    }

    /// Makes the qcow2 image at `path` read through `backingFile` (relative to its folder), or
    /// through nothing when `backingFile` is nil, without changing its guest-visible content:
    /// what the old chain provided that the new one does not is copied into the image.
    /// `qemu-img rebase` in safe mode; no one may write the image meanwhile.
    public static func rebaseImage(at path: String, onto backingFile: String?) async throws {
        do {
            if let backingFile {
                try await QemuImg.rebase(path, onto: backingFile)
            } else {
                try await QemuImg.detach(path)
            }
        } catch {
            throw StreamError(.writing, disk: "", path: path, reason: error.description)
        }
    }
}
