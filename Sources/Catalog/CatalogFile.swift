#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The catalog's files on disk: the database and SQLite's `-wal` and `-shm` beside it. They name
/// every backup and where it lies, so only the owner may read them.
enum CatalogFile {
    /// Mode of the database and its companion files.
    static let mode: mode_t = 0o600

    /// The files SQLite keeps for the database at `path`.
    static func companions(of path: String) -> [String] { [path + "-wal", path + "-shm"] }

    /// Creates an empty database file at `path` with mode 0600 unless one exists. SQLite gives
    /// the `-wal` and `-shm` files it creates later the database's mode. Wraps `open`.
    static func createIfMissing(_ path: String) throws(CatalogError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd >= 0 {
            close(fd)
            return
        }
        let code = errno
        guard code == EEXIST else { throw failure("create", path, code) }
    }

    /// Sets mode 0600 on the database at `path` and on whichever companion files exist. Wraps
    /// `chmod`.
    static func restrictAccess(_ path: String) throws(CatalogError) {
        guard chmod(path, mode) == 0 else { throw failure("restrict access to", path, errno) }
        for companion in companions(of: path) where chmod(companion, mode) != 0 && errno != ENOENT {
            throw failure("restrict access to", companion, errno)
        }
    }

    private static func failure(_ operation: String, _ path: String, _ code: Int32) -> CatalogError {
        CatalogError(.cannotOpen, "\(operation) catalog \(path)", reason: String(cString: strerror(code)))
    }
}
