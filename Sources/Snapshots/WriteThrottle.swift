import Libvirt

extension BlockIoTune {
    /// These limits with the guest's writes held to at most `limit` bytes per second: the write
    /// limit lowered (or set, when there is none), or, on a disk limited for reads and writes
    /// together, that limit lowered; every other limit as it is. A lower limit already there stays.
    func limitingWrites(to limit: UInt64) -> BlockIoTune {
        var tune = self
        let name = self[Self.totalBytesPerSecond] > 0 ? Self.totalBytesPerSecond : Self.writeBytesPerSecond
        tune[name] = tune[name] > 0 ? min(tune[name], limit) : limit
        return tune
    }

    /// The limits that undo a throttle: each limit that still holds its `throttled` value goes
    /// back to its `original` one; a limit changed since (by an administrator, say) stays as it is.
    func undoing(_ throttled: BlockIoTune, backTo original: BlockIoTune) -> BlockIoTune {
        var tune = self
        for name in Set(original.limits.keys).union(throttled.limits.keys) where self[name] == throttled[name] {
            tune[name] = original[name]
        }
        return tune
    }
}

/// What `release` writes beside an overlay before it throttles the guest's writes for a pivot:
/// the disk's limits before and during the throttle. Whoever finds it (the release itself, or
/// crash recovery after the daemon died meanwhile) sets the limits back and removes it.
struct ThrottleRecord: Codable, Sendable, Equatable {
    var target: String
    var original: BlockIoTune
    var throttled: BlockIoTune
}
