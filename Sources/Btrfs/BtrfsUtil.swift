import CBtrfsUtil

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Typed access to btrfs subvolumes through libbtrfsutil. Each call is a quick ioctl and blocks
/// the calling thread.
public enum BtrfsUtil {
    /// Whether `path` is the root of a btrfs subvolume; `false` also when it is not on btrfs.
    ///
    /// Wraps `btrfs_util_is_subvolume`.
    public static func isSubvolume(_ path: String) throws(BtrfsError) -> Bool {
        errno = 0
        let result = btrfs_util_is_subvolume(path)
        switch result {
        case BTRFS_UTIL_OK: return true
        case BTRFS_UTIL_ERROR_NOT_SUBVOLUME, BTRFS_UTIL_ERROR_NOT_BTRFS: return false
        default: throw failure(result, call: "btrfs_util_is_subvolume", path: path)
        }
    }

    /// The ID of the subvolume holding `path` (5 for the top-level subvolume).
    ///
    /// Wraps `btrfs_util_subvolume_id`.
    public static func subvolumeID(_ path: String) throws(BtrfsError) -> UInt64 {
        var id: UInt64 = 0
        try check(btrfs_util_subvolume_id(path, &id), call: "btrfs_util_subvolume_id", path: path)
        return id
    }

    /// Whether the subvolume at `path` is read-only.
    ///
    /// Wraps `btrfs_util_get_subvolume_read_only`.
    public static func isReadOnly(_ path: String) throws(BtrfsError) -> Bool {
        var readOnly = false
        try check(
            btrfs_util_get_subvolume_read_only(path, &readOnly), call: "btrfs_util_get_subvolume_read_only",
            path: path)
        return readOnly
    }

    /// Creates an empty subvolume at `path`.
    ///
    /// Wraps `btrfs_util_create_subvolume`.
    public static func createSubvolume(_ path: String) throws(BtrfsError) {
        try check(btrfs_util_create_subvolume(path, 0, nil, nil), call: "btrfs_util_create_subvolume", path: path)
    }

    /// Snapshots the subvolume at `source` as a new subvolume at `destination`; with `recursive`,
    /// also the subvolumes nested below it.
    ///
    /// Wraps `btrfs_util_create_snapshot`.
    public static func createSnapshot(
        source: String, destination: String, readOnly: Bool, recursive: Bool = false
    ) throws(BtrfsError) {
        var flags: Int32 = 0
        if readOnly { flags |= BTRFS_UTIL_CREATE_SNAPSHOT_READ_ONLY }
        if recursive { flags |= BTRFS_UTIL_CREATE_SNAPSHOT_RECURSIVE }
        try check(
            btrfs_util_create_snapshot(source, destination, flags, nil, nil), call: "btrfs_util_create_snapshot",
            path: "\(source) -> \(destination)")
    }

    /// Deletes the subvolume or snapshot at `path`; with `recursive`, also the subvolumes below it.
    ///
    /// Wraps `btrfs_util_delete_subvolume`.
    public static func deleteSubvolume(path: String, recursive: Bool = false) throws(BtrfsError) {
        let flags: Int32 = recursive ? BTRFS_UTIL_DELETE_SUBVOLUME_RECURSIVE : 0
        try check(btrfs_util_delete_subvolume(path, flags), call: "btrfs_util_delete_subvolume", path: path)
    }

    static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func check(_ result: btrfs_util_error, call: String, path: String) throws(BtrfsError) {
        guard result == BTRFS_UTIL_OK else {
            throw failure(result, call: call, path: path)
        }
    }

    /// Wraps `btrfs_util_strerror`.
    static func failure(_ result: btrfs_util_error, call: String, path: String) -> BtrfsError {
        let message = btrfs_util_strerror(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
        return BtrfsError(code: result.rawValue, message: message, errno: errno, call: call, path: path)
    }
}
