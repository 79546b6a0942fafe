/// The version of vmbackup: what `vmbackup --version` and `vmbackupd --version` print and what
/// `GET /v1/status` reports. Its one source.
public enum VMBackupVersion {
    public static let current = "0.1.0"
}
