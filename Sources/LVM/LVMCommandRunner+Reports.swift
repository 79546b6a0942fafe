extension LVMCommandRunner {
    /// Every logical volume of `group`, hidden ones excepted.
    ///
    /// Runs `lvs --reportformat json -o <fields> --units b --nosuffix <group>`.
    public func logicalVolumes(in group: LVMName) throws(LVMError) -> [LogicalVolume] {
        let command = "lvs --reportformat json -o \(LVMReport.logicalVolumeFields) --units b --nosuffix \(group)"
        return try report(command) { output throws(LVMReport.ReportError) in
            try LVMReport.logicalVolumes(from: output)
        }
    }

    /// The logical volume `volume`, or `nil` when its volume group has none of that name.
    ///
    /// Lists the whole volume group, so a missing volume is told apart from a failing command
    /// without reading lvm's messages. A missing volume group is an error.
    public func logicalVolume(_ volume: LogicalVolumeReference) throws(LVMError) -> LogicalVolume? {
        try logicalVolumes(in: volume.volumeGroup).first { $0.name == volume.name.rawValue }
    }

    /// The volume group `name`, with its free space.
    ///
    /// Runs `vgs --reportformat json -o vg_name,vg_free,vg_extent_size --units b --nosuffix <name>`.
    public func volumeGroup(_ name: LVMName) throws(LVMError) -> VolumeGroup {
        let command = "vgs --reportformat json -o \(LVMReport.volumeGroupFields) --units b --nosuffix \(name)"
        let groups = try report(command) { output throws(LVMReport.ReportError) in
            try LVMReport.volumeGroups(from: output)
        }
        guard let group = groups.first(where: { $0.name == name.rawValue }) else {
            throw LVMError(command: command, status: .unreadableReport, messages: ["no row for volume group \(name)"])
        }
        return group
    }

    private func report<T>(
        _ command: String, _ parse: (String) throws(LVMReport.ReportError) -> T
    ) throws(LVMError) -> T {
        let output = try run(command)
        do {
            return try parse(output)
        } catch {
            throw LVMError(command: command, status: .unreadableReport, messages: [error.reason])
        }
    }
}
