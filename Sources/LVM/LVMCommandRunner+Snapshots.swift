extension LVMCommandRunner {
    /// Creates a snapshot named `name` of `origin` in the origin's volume group.
    ///
    /// With `sizeBytes`, a thick copy-on-write snapshot of that size:
    /// `lvcreate -s -L <n>b -n <name> <vg>/<origin>`. Without, a thin snapshot, which takes its
    /// space from the origin's thin pool; lvm marks thin snapshots to be skipped on activation, so
    /// it is created without that mark and activated:
    /// `lvcreate -s --setactivationskip n --activate y -n <name> <vg>/<origin>`.
    public func createSnapshot(
        of origin: LogicalVolumeReference, name: LVMName, sizeBytes: UInt64?
    ) throws(LVMError) -> LogicalVolumeReference {
        try run(Self.createSnapshotCommand(of: origin, name: name, sizeBytes: sizeBytes))
        return LogicalVolumeReference(volumeGroup: origin.volumeGroup, name: name)
    }

    /// Removes `volume`, active or not, without asking: `lvremove -f <vg>/<lv>`.
    public func remove(_ volume: LogicalVolumeReference) throws(LVMError) {
        try run(Self.removeCommand(volume))
    }

    static func createSnapshotCommand(
        of origin: LogicalVolumeReference, name: LVMName, sizeBytes: UInt64?
    ) -> String {
        if let sizeBytes {
            return "lvcreate -s -L \(sizeBytes)b -n \(name) \(origin)"
        }
        return "lvcreate -s --setactivationskip n --activate y -n \(name) \(origin)"
    }

    static func removeCommand(_ volume: LogicalVolumeReference) -> String {
        "lvremove -f \(volume)"
    }
}
