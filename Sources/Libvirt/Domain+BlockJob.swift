import CLibvirt

extension Domain {
    /// Starts an active block commit of the disk's top image into its backing image, copying at
    /// most `bandwidth` bytes per second (0: as fast as it can).
    ///
    /// Wraps `virDomainBlockCommit(dom, disk, NULL, NULL, bandwidth, VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
    /// VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES)`.
    public func blockCommitActive(disk: String, bandwidth: UInt64 = 0) throws(LibvirtError) {
        let flags = VIR_DOMAIN_BLOCK_COMMIT_ACTIVE.rawValue | VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES.rawValue
        guard virDomainBlockCommit(pointer, disk, nil, nil, UInt(bandwidth), flags) == 0 else {
            throw LibvirtError.last(call: "virDomainBlockCommit")
        }
    }

    /// The block job running on the disk, or `nil` when there is none.
    ///
    /// Wraps `virDomainGetBlockJobInfo`.
    public func blockJobInfo(disk: String) throws(LibvirtError) -> BlockJobInfo? {
        var info = virDomainBlockJobInfo()
        let result = virDomainGetBlockJobInfo(pointer, disk, &info, 0)
        guard result >= 0 else {
            throw LibvirtError.last(call: "virDomainGetBlockJobInfo")
        }
        guard result == 1 else { return nil }
        return BlockJobInfo(type: info.type, cur: UInt64(info.cur), end: UInt64(info.end))
    }

    /// Ends a ready active commit or copy by switching the disk to the job's destination; returns
    /// when the switch is done.
    ///
    /// Wraps `virDomainBlockJobAbort(dom, disk, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT)`.
    public func pivotBlockJob(disk: String) throws(LibvirtError) {
        guard virDomainBlockJobAbort(pointer, disk, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT.rawValue) == 0 else {
            throw LibvirtError.last(call: "virDomainBlockJobAbort")
        }
    }

    /// Cancels the disk's block job; the disk stays on the image it runs on now.
    ///
    /// Wraps `virDomainBlockJobAbort(dom, disk, 0)`.
    public func abortBlockJob(disk: String) throws(LibvirtError) {
        guard virDomainBlockJobAbort(pointer, disk, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainBlockJobAbort")
        }
    }
}
