import CLibvirt

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide libvirt setup, done once before the first connection.
enum LibvirtLibrary {
    /// Initialises libvirt and installs an error handler that drops errors instead of printing them
    /// to stderr: every error is read with `virGetLastError` and reported as a `LibvirtError`.
    /// Ignores SIGPIPE: libvirt writes to its socket without `MSG_NOSIGNAL`, and a libvirtd that
    /// went away must be an error of the call ("Broken pipe"), not the end of the process.
    ///
    /// Wraps `virInitialize` and `virSetErrorFunc`.
    static let setUp: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
        _ = virInitialize()
        virSetErrorFunc(nil) { _, _ in }
    }()
}
