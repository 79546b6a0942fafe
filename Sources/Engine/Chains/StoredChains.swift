/// How a VM's backups on one target are linked: by their manifests (`parent`) and by their
/// images (a qcow2 backing file naming another backup's image). The two agree except after a
/// merge that a crash interrupted between rebasing a child's images and rewriting its manifest;
/// then a backup counts as the child of both, and the images say what reads through what.
struct StoredChains: Sendable {
    /// A stored disk whose manifest names a backing file, and the backing file its image names.
    struct Link: Sendable {
        /// The backup the disk belongs to.
        var backup: String
        /// The disk's target device: `vda`.
        var disk: String
        /// The image file's local path.
        var path: String
        /// The backing file as the image names it; `nil` once the image holds its whole content.
        var backingFile: String?
        /// The backup whose image `backingFile` is; `nil` when it names no backup of the VM.
        var parent: String?
        /// The file name of that backup's image: `vda.qcow2`.
        var parentFile: String?
        /// The bytes the image file takes.
        var storedBytes: UInt64
    }

    /// Each backup's parent as its manifest names it.
    let manifestParents: [String: String]
    /// The image links of every disk whose manifest names a backing file. A disk whose manifest
    /// names none holds its whole content: a merge never gives an image a backing file.
    let links: [Link]
    /// The backups with a disk whose manifest names a backing file but whose image could not be
    /// inspected (the target keeps no local file, or the image is missing): they cannot be
    /// rebased.
    var uninspected: Set<String> = []

    /// Every (backup, parent) pair either the manifests or the images name.
    var pairs: [(id: String, parent: String?)] {
        var pairs: [(id: String, parent: String?)] = manifestParents.map { (id: $0.key, parent: $0.value) }
        for link in links where link.parent != nil { pairs.append((id: link.backup, parent: link.parent)) }
        return pairs
    }

    /// The backups that name `id` as their parent, in their manifest or through an image, sorted.
    func children(of id: String) -> [String] {
        Set(pairs.filter { $0.parent == id }.map(\.id)).sorted()
    }

    /// Every backup that depends on `id`, each before its parent (see ``ChainOrder``).
    func descendants(of id: String) -> [String] {
        ChainOrder.descendants(of: id, in: pairs)
    }

    /// The parent of `id`: the backup its images read through, else the one its manifest names.
    func parent(of id: String) -> String? {
        links.first { $0.backup == id && $0.parent != nil }?.parent ?? manifestParents[id]
    }

    /// The image links of backup `id`.
    func links(of id: String) -> [Link] { links.filter { $0.backup == id } }

    /// The backup and file a backing file names, when it is another backup's image of this VM:
    /// `../<id>/<file>` as backups write it, or an absolute path whose last two components are
    /// those; `nil` for anything else.
    static func backup(named backingFile: String, among ids: Set<String>) -> (id: String, file: String)? {
        let parts = backingFile.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, backingFile.hasPrefix("/") || (parts.count == 3 && parts[0] == "..") else {
            return nil
        }
        let (id, file) = (parts[parts.count - 2], parts[parts.count - 1])
        return ids.contains(id) && !file.isEmpty ? (id, file) : nil
    }
}
