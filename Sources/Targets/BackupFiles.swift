/// The names of the files inside a backup besides its images, and which a writer keeps for itself.
public enum BackupFiles {
    /// The domain as it was at backup time.
    public static let domainXML = "domain.xml"
    /// The domain's UEFI variable store, when it has one.
    public static let nvram = "nvram.fd"
    /// The domain's TPM state (the swtpm state file), when it has an emulated TPM.
    public static let tpmState = "tpm-state.permall"

    /// The chunk index of disk `target`: `vda.index`.
    public static func indexFileName(forDisk target: String) -> String { target + ".index" }

    /// Whether `name` is a file the target writes itself (the manifest, the domain XML, images,
    /// the owner mark), which `writeFile(named:contents:)` refuses.
    public static func isReserved(_ name: String) -> Bool {
        [Manifest.fileName, domainXML, WorkOwner.fileName].contains(name) || name.hasSuffix(".qcow2")
            || name.hasSuffix(".new")
    }

    /// Throws unless `name` may be written with `writeFile(named:contents:)`.
    static func checkWritable(_ name: String) throws(TargetError) {
        try PathSafety.check(name, as: "file name")
        guard !isReserved(name) else {
            throw TargetError("write", path: name, reason: "the target keeps this name for itself", code: .invalid)
        }
    }
}
