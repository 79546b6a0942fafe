import APIModel
import Foundation
import Targets

/// What merging a backup into the backups made on top of it changes, worked out from the chains
/// as read (no I/O): which images to rebase onto what, and each child's new manifest.
///
/// A child's disk whose image reads through the merged backup's image is rebased onto what that
/// image reads through (its backing file, valid from the child's folder too since a VM's backups
/// are siblings), or made whole when it reads through nothing. Every child then names the merged
/// backup's parent as its own, and becomes `full` when that is none.
struct ChainMerge: Sendable {
    /// One image to rebase.
    struct Rebase: Sendable {
        var child: String
        var disk: String
        var path: String
        /// The new backing file, relative to the image's folder; `nil` to make the image whole.
        var onto: String?
        /// The bytes the image took before.
        var storedBytes: UInt64
    }

    /// The backup merged into its children.
    let merged: String
    /// Its parent, which becomes its children's.
    let newParent: String?
    /// Its direct children, by manifest or by image, sorted.
    let children: [String]
    /// The images to rebase, child by child.
    let rebases: [Rebase]
    /// The backing file each child's disk reads through once the rebases are done, by child, then
    /// disk; disks not listed keep what their manifest says.
    let backings: [String: [String: String?]]

    /// Plans the merge of `id`; throws when one of its images reads through a file that is not
    /// another backup's image (its children could not be rebased onto it).
    init(merging id: String, chains: StoredChains) throws(EngineError) {
        merged = id
        newParent = chains.parent(of: id)
        children = chains.children(of: id)
        let ownLinks = chains.links(of: id)
        var rebases: [Rebase] = []
        var backings: [String: [String: String?]] = [:]
        for child in children {
            for link in chains.links(of: child) {
                guard link.parent == id, let file = link.parentFile else {
                    // Already rebased by a merge a crash interrupted, or reading elsewhere: the
                    // manifest takes what the image says.
                    backings[child, default: [:]][link.disk] = .some(link.backingFile)
                    continue
                }
                let own = ownLinks.first { ($0.path as NSString).lastPathComponent == file }
                if let own, let backing = own.backingFile, own.parent == nil {
                    throw EngineError(
                        .preconditionFailed,
                        "cannot merge backup \(id) into \(child): its image \(file) reads through \(backing), "
                            + "which is not a backup's image; nothing was deleted")
                }
                let onto = own?.backingFile
                rebases.append(
                    Rebase(child: child, disk: link.disk, path: link.path, onto: onto, storedBytes: link.storedBytes))
                backings[child, default: [:]][link.disk] = .some(onto)
            }
        }
        self.rebases = rebases
        self.backings = backings
    }

    /// The backups whose images the merge rewrites.
    var rewritten: [String] { Array(Set(rebases.map(\.child))).sorted() }

    /// `manifest` (of child `child`) as it reads after the merge: the new parent and level, each
    /// disk's backing file, and the stored bytes of rebased disks grown by `growth` (by disk).
    func rewrite(_ manifest: inout Manifest, growth: [String: UInt64]) {
        manifest.parent = newParent
        if newParent == nil { manifest.level = .full }
        for index in manifest.disks.indices {
            let disk = manifest.disks[index].target
            if let backing = backings[manifest.backupID]?[disk] { manifest.disks[index].backingFile = backing }
            if let grown = growth[disk] {
                manifest.disks[index].storedBytes = (manifest.disks[index].storedBytes ?? 0) + grown
            }
        }
    }
}
