#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// Copies a string that libvirt allocated for the caller, then frees it.
    init(libvirtOwned pointer: UnsafeMutablePointer<CChar>) {
        self.init(cString: pointer)
        free(pointer)
    }
}
