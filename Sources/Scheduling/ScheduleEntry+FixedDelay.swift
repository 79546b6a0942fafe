extension ScheduleEntry {
    /// This entry's delay, in `[0, randomizedDelay)` at microsecond resolution.
    ///
    /// A function of `id` (compared case-insensitively, as UUIDs are) and the bound only: the same in
    /// every process, on every host and in every release. It hashes with FNV-1a and MurmurHash3's
    /// finalizer, not with `Hasher`, which is seeded per process.
    public var fixedDelay: Duration {
        let bound = Self.microseconds(randomizedDelay)
        guard bound > 0 else { return .zero }
        let hash = Self.mixed(Self.fnv1a64(id.lowercased().utf8))
        return .microseconds(hash.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// The 64-bit FNV-1a hash of `bytes`.
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// MurmurHash3's `fmix64`: spreads every input bit over the whole word, so keys that differ only
    /// in their last characters (FNV-1a changes little of the high bits for those) still land far apart.
    static func mixed(_ value: UInt64) -> UInt64 {
        var value = value
        value ^= value >> 33
        value &*= 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value &*= 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }

    /// `duration` in whole microseconds, 0 when negative, saturating at `Int64.max`.
    static func microseconds(_ duration: Duration) -> Int64 {
        guard duration > .zero else { return 0 }
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return .max }
        let (total, overflowAgain) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000)
        return overflowAgain ? .max : total
    }
}
