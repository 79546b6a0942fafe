import CLibvirt

/// Process-wide libvirt setup, done once before the first connection.
enum LibvirtLibrary {
    /// Initialises libvirt and installs an error handler that drops errors instead of printing them
    /// to stderr: every error is read with `virGetLastError` and reported as a `LibvirtError`.
    ///
    /// Wraps `virInitialize` and `virSetErrorFunc`.
    static let setUp: Void = {
        _ = virInitialize()
        virSetErrorFunc(nil) { _, _ in }
    }()
}
