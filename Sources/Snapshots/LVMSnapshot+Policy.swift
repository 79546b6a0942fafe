/// How large a thick LVM snapshot is made. Thin snapshots take no size: they share the origin's
/// thin pool.
public struct LVMSnapshotPolicy: Sendable, Equatable {
    /// The snapshot's share of its origin's size: the origin may change this much during a backup
    /// before the snapshot overflows.
    public var fraction: Double
    /// The least a snapshot is given, whatever the fraction, unless the origin is smaller.
    public var minimumBytes: UInt64

    public init(fraction: Double = 0.20, minimumBytes: UInt64 = 32 << 20) {
        self.fraction = fraction
        self.minimumBytes = minimumBytes
    }

    /// Whether the fraction can size anything: a finite number, not negative.
    var isUsable: Bool { fraction.isFinite && fraction >= 0 }

    /// The size this policy asks for: `fraction` of the origin, at least `minimumBytes`, at most
    /// what a snapshot of the origin can ever use; a whole number of extents.
    func wantedBytes(originBytes: UInt64, extentBytes: UInt64) -> UInt64 {
        let share = UInt64((Double(originBytes) * fraction).rounded(.up))
        let wanted = min(max(share, minimumBytes), Self.largestUseful(originBytes: originBytes))
        return Self.roundUp(wanted, to: extentBytes)
    }

    /// The least a snapshot may be given when free space is short: `minimumBytes`, or the
    /// largest useful size for a smaller origin.
    func smallestBytes(originBytes: UInt64, extentBytes: UInt64) -> UInt64 {
        Self.roundUp(min(minimumBytes, Self.largestUseful(originBytes: originBytes)), to: extentBytes)
    }

    /// A snapshot as large as its origin plus room for its exception table (16 bytes per chunk of
    /// at least 4 KiB) can never overflow; anything more is wasted.
    static func largestUseful(originBytes: UInt64) -> UInt64 {
        originBytes + originBytes / 128
    }

    static func roundUp(_ bytes: UInt64, to extentBytes: UInt64) -> UInt64 {
        guard extentBytes > 0 else { return bytes }
        return (bytes + extentBytes - 1) / extentBytes * extentBytes
    }

    static func roundDown(_ bytes: UInt64, to extentBytes: UInt64) -> UInt64 {
        guard extentBytes > 0 else { return bytes }
        return bytes / extentBytes * extentBytes
    }
}
