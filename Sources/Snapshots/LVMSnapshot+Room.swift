/// Shares one volume group's free space among the thick snapshots a backup makes in it.
struct LVMSnapshotRoom: Sendable, Equatable {
    /// What one snapshot asks for and the least it can do with.
    struct Request: Sendable, Equatable {
        var wantedBytes: UInt64
        var smallestBytes: UInt64
    }

    /// Every snapshot gets what it wants when that fits. Otherwise the free space is shared in
    /// proportion to what each wants, in whole extents; `nil` when a share falls below the least a
    /// snapshot can do with: the group has no room.
    static func sizes(for requests: [Request], freeBytes: UInt64, extentBytes: UInt64) -> [UInt64]? {
        let wanted = requests.reduce(UInt64(0)) { $0 + $1.wantedBytes }
        if wanted <= freeBytes { return requests.map(\.wantedBytes) }
        let sizes = requests.map { request in
            let share = Double(request.wantedBytes) / Double(wanted) * Double(freeBytes)
            return LVMSnapshotPolicy.roundDown(UInt64(share), to: extentBytes)
        }
        guard zip(sizes, requests).allSatisfy({ $0 >= $1.smallestBytes }) else { return nil }
        return sizes
    }
}

extension LVMSnapshot {
    /// Sizes as people read them: `512 B`, `4.0 MiB`, `20.0 GiB`.
    static func describe(bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
