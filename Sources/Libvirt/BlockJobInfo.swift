import CLibvirt

/// Progress of a block job on one disk, from `virDomainGetBlockJobInfo`.
public struct BlockJobInfo: Sendable, Equatable {
    /// The `virDomainBlockJobType`, e.g. 4 for an active commit.
    public var type: Int32
    public var cur: UInt64
    public var end: UInt64

    public init(type: Int32, cur: UInt64, end: UInt64) {
        self.type = type
        self.cur = cur
        self.end = end
    }

    /// Whether the job has copied everything: an active commit or copy can now be pivoted.
    ///
    /// libvirt reports a ready job with nothing to copy as `cur == end == 1`, and one that is not
    /// ready yet as `end > cur`, so `end > 0` never mistakes a job that has not started for done.
    public var isReady: Bool {
        end > 0 && cur == end
    }

    /// Whether this is an active commit (`VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT`).
    public var isActiveCommit: Bool {
        type == Int32(VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT.rawValue)
    }
}
