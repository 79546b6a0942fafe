/// A logical volume by its volume group and its own name, as lvm commands take it: `vg0/disk1`.
public struct LogicalVolumeReference: Sendable, Hashable, CustomStringConvertible {
    public let volumeGroup: LVMName
    public let name: LVMName

    public init(volumeGroup: LVMName, name: LVMName) {
        self.volumeGroup = volumeGroup
        self.name = name
    }

    /// Parses and checks `vg/lv`.
    public init(parsing text: String) throws(LVMNameError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw LVMNameError(name: text, reason: "is not of the form VG/LV")
        }
        self.init(volumeGroup: try LVMName(String(parts[0])), name: try LVMName(String(parts[1])))
    }

    /// `vg/lv`
    public var description: String { "\(volumeGroup)/\(name)" }

    /// The device node lvm creates for an active volume: `/dev/vg/lv`.
    public var devicePath: String { "/dev/\(volumeGroup)/\(name)" }
}
