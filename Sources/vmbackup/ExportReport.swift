import APIModel

/// How the CLI shows exports: the one `vmbackup mount` started, with ways to read it, and the
/// table of `vmbackup exports`.
struct ExportReport {
    let export: ExportSummary

    /// What `vmbackup mount` prints once the export serves: where, and how to read it.
    func rendered() -> String {
        let backup = export.backupName.map { "\(export.backupID) (\($0))" } ?? export.backupID
        var fields: [(label: String, value: String)] = [
            ("Export", export.id),
            ("Serves", "disk \(export.disk) of backup \(backup) of VM \(export.vmName), read-only"),
        ]
        if let size = export.virtualSize { fields.append(("Size", ByteCount.format(size))) }
        fields += [("Socket", export.socket), ("URI", export.uri)]
        let uri = Self.quoted(export.uri)
        // libguestfs names a Unix socket's default export `nbd://?socket=PATH`.
        let guestfishURI = Self.quoted("nbd://?" + (export.uri.split(separator: "?", maxSplits: 1).last ?? ""))
        let scratch = "/tmp/" + export.disk
        let hints = [
            "# browse the guest's files (libguestfs):",
            "guestfish --ro --format=raw -a \(guestfishURI) -i",
            "# see which parts of the disk hold data:",
            "nbdinfo --map \(uri)",
            "# copy the whole disk:",
            "qemu-img convert -p -f raw -O qcow2 \(uri) \(export.disk).qcow2",
            "# the disk as the file \(scratch)/nbd, its partitions as loop devices to mount read-only:",
            "mkdir -p \(scratch) && nbdfuse -r \(scratch) \(uri) &",
            "losetup -r -P -f --show \(scratch)/nbd",
        ]
        return FieldList.render(fields) + "\nRead it with, for example:\n"
            + hints.map { "  " + $0 + "\n" }.joined()
            + "\nServing until Ctrl-C (or vmbackup unmount \(export.id)).\n"
    }

    /// The table of `vmbackup exports`.
    static func table(_ exports: [ExportSummary]) -> String {
        TextTable.render(
            header: ["ID", "VM", "BACKUP", "DISK", "STARTED", "SOCKET"],
            rows: exports.map {
                [$0.id, $0.vmName, $0.backupID, $0.disk, DisplayDate.format($0.started), $0.socket]
            })
    }

    /// `text` quoted for a POSIX shell, when it holds anything a shell would read specially.
    static func quoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "-._~/:=+@%,".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
