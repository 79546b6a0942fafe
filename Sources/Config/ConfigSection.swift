/// A section of the config file: `[daemon]`, `[policy.nightly]`, the n-th `[[vm]]`, or the
/// `[vm.methods]` of the n-th `[[vm]]`. The keys at the top of the file, before any header, are in
/// `root`.
struct ConfigSection: Hashable, Sendable, CustomStringConvertible {
    /// The dotted name as the header writes it, without brackets or quotes; empty for the root.
    var name: String
    /// For a section of an array of tables (`[[vm]]`, `[vm.methods]` below it): which element,
    /// counting from 0.
    var element: Int?

    init(_ name: String, element: Int? = nil) {
        self.name = name
        self.element = element
    }

    static let root = ConfigSection("")

    /// `[vm.methods]` of this `[[vm]]`.
    func child(_ key: String) -> ConfigSection {
        ConfigSection(name.isEmpty ? key : name + "." + key, element: element)
    }

    /// This section as the first element of an array of tables of its name.
    var firstElement: ConfigSection { ConfigSection(name, element: element ?? 0) }

    var description: String { name }
}
