import CLibvirt

extension Domain {
    /// Starts pulling the backing chain of disk `disk` (a target dev, or the image's path) into its
    /// top image while the domain runs; once the block job ends, the disk no longer needs its
    /// backing files. Wraps `virDomainBlockPull`; follow it with `blockJobInfo(disk:)`.
    public func blockPull(disk: String) throws(LibvirtError) {
        guard virDomainBlockPull(pointer, disk, 0, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainBlockPull")
        }
    }
}
