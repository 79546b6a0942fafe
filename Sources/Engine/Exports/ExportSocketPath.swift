/// Where an export's socket lies: `<folder>/<vm-uuid>-<backup-id>-<disk>.sock`, in the folder the
/// daemon keeps export sockets in (`nbd/` beside its API socket), so that `ls` tells what each
/// one serves.
///
/// A Unix socket's path holds at most 107 bytes. When that name would be longer (a deep socket
/// folder), or when a part of it holds a character other than ASCII letters, digits, `.`, `_`
/// and `-`, the socket is named by the export's id alone: `<folder>/<export-id>.sock`.
enum ExportSocketPath {
    /// The longest path `bind` takes for a Unix socket: `sun_path` less its terminating NUL.
    static let maximumLength = 107

    /// The socket path of export `exportID` serving disk `disk` of backup `backupID` of VM
    /// `vmUUID`. Throws `internal` when even the short name does not fit.
    static func path(
        folder: String, vmUUID: String, backupID: String, disk: String, exportID: String
    ) throws(EngineError) -> String {
        let folder = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        let parts = [vmUUID, backupID, disk]
        if parts.allSatisfy(isPlain) {
            let descriptive = folder + "/" + parts.joined(separator: "-") + ".sock"
            if descriptive.utf8.count <= maximumLength { return descriptive }
        }
        let short = folder + "/" + exportID + ".sock"
        guard short.utf8.count <= maximumLength else {
            throw EngineError(
                .internal,
                "the export socket \(short) would be longer than the \(maximumLength) bytes a Unix socket path "
                    + "may have; run vmbackupd with a shorter --socket path")
        }
        return short
    }

    private static func isPlain(_ part: String) -> Bool {
        !part.isEmpty && part != "." && part != ".."
            && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "." || $0 == "_" || $0 == "-"
            }
    }
}
