/// One logical volume as `lvs` reports it.
public struct LogicalVolume: Sendable, Equatable {
    public var vgName: String
    public var name: String
    /// The device node, `/dev/vg/lv`; empty for volumes that have none (thin pools, hidden volumes).
    public var path: String
    public var sizeBytes: UInt64
    /// `lv_attr`, e.g. `-wi-a-----` or `swi-I-s---`.
    public var attributes: String
    /// The thin pool of a thin volume.
    public var poolName: String?
    /// The volume a snapshot was taken of.
    public var originName: String?
    /// How full the volume is in percent: a thick snapshot's copy-on-write space, a thin volume's or
    /// thin pool's mapped share; `nil` for volumes without such a figure or when inactive.
    public var dataPercent: Double?
    /// lvm's own verdict, `lv_snapshot_invalid`.
    var snapshotInvalidFlag: Bool

    public init(
        vgName: String, name: String, path: String, sizeBytes: UInt64, attributes: String,
        poolName: String? = nil, originName: String? = nil, dataPercent: Double? = nil,
        snapshotInvalid: Bool = false
    ) {
        self.vgName = vgName
        self.name = name
        self.path = path
        self.sizeBytes = sizeBytes
        self.attributes = attributes
        self.poolName = poolName
        self.originName = originName
        self.dataPercent = dataPercent
        self.snapshotInvalidFlag = snapshotInvalid
    }

    /// The volume type, `lv_attr`'s first character: `-` plain, `o` origin, `s` snapshot, `V` thin...
    public var volumeType: Character? { attribute(0) }

    /// A thin volume (thin snapshots included), which lives in a thin pool.
    public var isThin: Bool { volumeType == "V" }

    /// A thick copy-on-write snapshot or a thin snapshot.
    public var isSnapshot: Bool {
        volumeType == "s" || volumeType == "S" || (isThin && originName != nil)
    }

    /// A thick snapshot whose copy-on-write space overflowed, so it no longer shows its origin as it
    /// was: `lv_attr`'s state `I` or `S`, or `lv_snapshot_invalid`.
    public var isInvalid: Bool {
        snapshotInvalidFlag || attribute(4) == "I" || attribute(4) == "S"
    }

    /// Whether the device is active: `lv_attr`'s state `a`.
    public var isActive: Bool { attribute(4) == "a" }

    /// lvm's health flag `F`: a failed thin volume or pool, or one with failed devices.
    public var isFailed: Bool { attribute(8) == "F" }

    public var reference: LogicalVolumeReference? {
        guard let group = try? LVMName(vgName), let name = try? LVMName(name) else { return nil }
        return LogicalVolumeReference(volumeGroup: group, name: name)
    }

    private func attribute(_ index: Int) -> Character? {
        guard index < attributes.count else { return nil }
        return attributes[attributes.index(attributes.startIndex, offsetBy: index)]
    }
}
