import CBtrfsUtil

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BtrfsUtil {
    /// Whether `path` lies on a btrfs filesystem. `path` is opened read-only for the check, so it
    /// should name a file or a folder.
    ///
    /// Wraps `btrfs_util_is_subvolume`, which `fstatfs`es the path and reports
    /// `BTRFS_UTIL_ERROR_NOT_BTRFS` when `f_type` is not `BTRFS_SUPER_MAGIC`.
    public static func isOnBtrfs(_ path: String) throws(BtrfsError) -> Bool {
        errno = 0
        let result = btrfs_util_is_subvolume(path)
        switch result {
        case BTRFS_UTIL_OK, BTRFS_UTIL_ERROR_NOT_SUBVOLUME: return true
        case BTRFS_UTIL_ERROR_NOT_BTRFS: return false
        default: throw failure(result, call: "btrfs_util_is_subvolume", path: path)
        }
    }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved.
    ///
    /// Wraps `realpath`.
    public static func realPath(_ path: String) throws(BtrfsError) -> String {
        errno = 0
        guard let resolved = realpath(path, nil) else {
            throw failure(BTRFS_UTIL_ERROR_STAT_FAILED, call: "realpath", path: path)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The root of the innermost subvolume that holds `file`, found by walking up from the file
    /// (after `realPath`) until a directory is a subvolume root. A snapshot of that subvolume
    /// contains the file; one of an outer subvolume would show only an empty folder in its place.
    ///
    /// The walk stays on the file's mount: a bind-mounted folder that is not a subvolume root
    /// is reported as `BTRFS_UTIL_ERROR_NOT_SUBVOLUME` rather than followed out of btrfs.
    ///
    /// Wraps `stat` and `btrfs_util_is_subvolume`.
    public static func subvolumePath(containing file: String) throws(BtrfsError) -> String {
        let resolved = try realPath(file)
        guard try isOnBtrfs(resolved) else {
            errno = 0
            throw failure(BTRFS_UTIL_ERROR_NOT_BTRFS, call: "btrfs_util_is_subvolume", path: resolved)
        }
        let device = try deviceID(resolved)
        var candidate = resolved
        while true {
            guard try deviceID(candidate) == device else { break }
            if try isSubvolume(candidate) { return candidate }
            guard candidate != "/" else { break }
            candidate = parentFolder(of: candidate)
        }
        errno = 0
        throw failure(BTRFS_UTIL_ERROR_NOT_SUBVOLUME, call: "btrfs_util_is_subvolume", path: resolved)
    }

    /// Wraps `stat`: the `st_dev` of `path`, which differs between subvolumes and between mounts.
    private static func deviceID(_ path: String) throws(BtrfsError) -> UInt64 {
        var info = stat()
        errno = 0
        guard stat(path, &info) == 0 else {
            throw failure(BTRFS_UTIL_ERROR_STAT_FAILED, call: "stat", path: path)
        }
        return UInt64(info.st_dev)
    }

    /// The folder holding `path`, for an absolute path without a trailing slash.
    private static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
