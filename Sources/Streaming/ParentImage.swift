import Targets

/// The parent backup's image of a disk, when a stream stores only what changed since it: the new
/// image is a qcow2 whose backing file is `backingFile`, and only the chunks whose digest differs
/// from `index` are written into it.
public struct ParentImage: Sendable, Equatable {
    /// The parent's image as the new image names its backing file: a path relative to the new
    /// image's folder (`../20261122T013000Z-3f9a/vda.qcow2`), or an absolute one.
    public var backingFile: String
    /// The parent's chunk index: the content the backing file reads.
    public var index: ChunkIndex
    /// A persistent dirty bitmap of the source (qcow2) that has recorded every write since the
    /// parent's point: when given, only the chunks it marks are read, the others carry the
    /// parent's digests unread (changed-block tracking).
    public var dirtyBitmap: String?

    public init(backingFile: String, index: ChunkIndex, dirtyBitmap: String? = nil) {
        self.backingFile = backingFile
        self.index = index
        self.dirtyBitmap = dirtyBitmap
    }
}
