import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The definition of a copy of a domain that can run beside the original: a restore `--as NAME`,
/// or a drill's temporary domain. It turns the domain XML saved with a backup into the XML of the
/// copy, and does nothing else (no I/O): the restore job writes the disks and defines the result.
///
/// The copy gets its own name, UUID, generation ID and MAC addresses, runs on the restored images
/// alone, and has everything dropped or rewritten that would make it clash with the original on
/// the same host or tie it to the original's storage:
/// - disks: each restored disk becomes a plain file disk on its new image (no backing chain, pool
///   volume, LV, network source, encryption or auth); a cdrom or floppy stays, with an empty tray
///   (its image may not exist on this host, and dropping the drive would move the guest's other
///   devices); any other disk that is not restored is left out;
/// - character devices (serial, console, parallel, channel): `<log>` files are dropped; a file
///   one writes to a file in `characterDeviceFolder`, or becomes a pty without one; a unix channel
///   loses its socket path, so libvirt makes one for the copy; any other host socket, device or
///   pipe becomes a pty;
/// - graphics listen on ports libvirt picks (`autoport`), never on the original's ports or socket;
/// - the UEFI NVRAM file is `nvramPath`, or one libvirt creates from the firmware's template;
/// - an emulated TPM keeps its place: swtpm keeps its state by domain UUID, so the new UUID gives
///   the copy a state of its own (a fresh one unless the restore job puts the saved state there);
///   a host or external TPM is left out;
/// - a fixed vsock CID becomes automatic; fixed security labels are dropped;
/// - host devices, host folders (`<filesystem>`), leases, shared memory, host input devices and
///   file-backed NVDIMMs are left out, as are network interfaces without `keepNetwork`;
/// - `<metadata>` and `<title>` stay; `<description>` gains a line naming the backup.
/// Each removal and rewrite is listed in the result's `notes`.
struct DomainCopy: Sendable, Equatable {
    /// A restored image the copy runs on.
    struct DiskImage: Sendable, Equatable {
        var path: String
        var format: ImageFormat

        init(path: String, format: ImageFormat) {
            self.path = path
            self.format = format
        }
    }

    /// The format QEMU opens a restored image with (`<driver type>`).
    enum ImageFormat: String, Sendable, Equatable {
        case qcow2
        case raw
    }

    /// The XML of a copy, and what was changed to make it.
    struct Definition: Sendable, Equatable {
        var xml: String
        /// The copy's UUID, lowercase.
        var uuid: String
        /// Each kept interface's new MAC address, in document order.
        var macAddresses: [String]
        /// One line for each device left out or changed, e.g. "disk vdb left out: not restored".
        var notes: [String]
    }

    var name: String
    var uuid: UUID
    /// The restored images by target dev (`vda`). A disk of the original not named here is left
    /// out (cdroms and floppies stay, empty).
    var disks: [String: DiskImage]
    /// Whether the copy keeps its network interfaces (with new MAC addresses); `false` for a drill,
    /// whose copy must not appear on the original's networks.
    var keepNetwork: Bool
    /// The copy's UEFI NVRAM file; `nil` lets libvirt create one from the firmware's template.
    var nvramPath: String?
    /// The folder where file-backed character devices (a serial console logged to a file) write;
    /// `nil` turns them into ptys.
    var characterDeviceFolder: String?
    /// The backup the copy is restored from, named in its `<description>`; `nil` leaves the
    /// description as it was.
    var restoredFrom: String?

    init(
        name: String, uuid: UUID = UUID(), disks: [String: DiskImage], keepNetwork: Bool = true,
        nvramPath: String? = nil, characterDeviceFolder: String? = nil, restoredFrom: String? = nil
    ) {
        self.name = name
        self.uuid = uuid
        self.disks = disks
        self.keepNetwork = keepNetwork
        self.nvramPath = nvramPath
        self.characterDeviceFolder = characterDeviceFolder
        self.restoredFrom = restoredFrom
    }

    /// The copy of the domain `originalXML` defines, with random MAC addresses.
    func definition(from originalXML: String) throws(EngineError) -> Definition {
        var generator = SystemRandomNumberGenerator()
        return try definition(from: originalXML, using: &generator)
    }

    /// The copy of the domain `originalXML` defines, with MAC addresses drawn from `generator`.
    ///
    /// Throws `bad_request` when the copy would share the original's name or UUID or names a disk
    /// the original does not have, and `internal` when `originalXML` is not a domain's XML.
    func definition(
        from originalXML: String, using generator: inout some RandomNumberGenerator
    ) throws(EngineError) -> Definition {
        try Self.checkWellFormed(originalXML)
        let document: XMLDocument
        do {
            document = try XMLDocument(xmlString: originalXML, options: [])
        } catch {
            throw EngineError(.internal, "the saved domain XML cannot be read: \(error)", cause: error)
        }
        guard let domain = document.rootElement(), domain.name == "domain" else {
            throw EngineError(.internal, "the saved domain XML has no <domain> element")
        }
        let original = domain.child(named: "name")?.stringValue ?? ""
        try check(original: original, domain: domain)

        var rewrite = DomainCopyRewrite(copy: self, domain: domain, originalName: original)
        rewrite.identity()
        rewrite.securityLabels()
        rewrite.diskSources()
        rewrite.interfaces(using: &generator)
        rewrite.characterDevices()
        rewrite.graphics()
        rewrite.firmwareState()
        rewrite.hostResources()
        return Definition(
            xml: domain.xmlString(options: [.nodePrettyPrint, .nodeCompactEmptyElement]) + "\n",
            uuid: uuid.uuidString.lowercased(), macAddresses: rewrite.macAddresses, notes: rewrite.notes)
    }

    /// FoundationXML's `XMLDocument` recovers from malformed XML, so a truncated file would read
    /// as a smaller domain; `XMLParser` reports the error.
    private static func checkWellFormed(_ xml: String) throws(EngineError) {
        let parser = XMLParser(data: Data(xml.utf8))
        guard parser.parse(), parser.parserError == nil else {
            let reason = parser.parserError.map { "\($0)" } ?? "not well-formed"
            throw EngineError(
                .internal, "the saved domain XML cannot be read: line \(parser.lineNumber): \(reason)",
                cause: parser.parserError)
        }
    }

    private func check(original: String, domain: XMLElement) throws(EngineError) {
        guard !name.isEmpty else {
            throw EngineError(.badRequest, "the copy of VM \(original) needs a name", vm: original)
        }
        guard name != original else {
            throw EngineError(.badRequest, "the copy of VM \(original) needs a name other than the VM's", vm: original)
        }
        let uuid = uuid.uuidString.lowercased()
        guard !domain.elements(forName: "uuid").contains(where: { $0.stringValue?.lowercased() == uuid }) else {
            throw EngineError(.badRequest, "the copy of VM \(original) needs a UUID other than the VM's", vm: original)
        }
        let targets = domain.devices(named: "disk").compactMap { $0.child(named: "target")?.value(ofAttribute: "dev") }
        let unknown = disks.keys.filter { !targets.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw EngineError(
                .badRequest,
                "VM \(original) has no disk named \(unknown.joined(separator: ", ")) "
                    + "(its disks: \(targets.joined(separator: ", ")))",
                vm: original, disk: unknown.first)
        }
    }
}
