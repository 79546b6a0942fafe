import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension DomainXML {
    /// The files outside its disks that hold a domain's state: its UEFI variable store and its
    /// emulated TPM's state.
    public struct StateFiles: Sendable, Equatable {
        /// `<os><nvram>`: the path of the domain's own copy of the UEFI variables.
        public var nvram: String?
        /// `<tpm><backend type='emulator' version=...>`: the TPM version, `2.0` or `1.2`.
        public var tpmVersion: String?

        public init(nvram: String? = nil, tpmVersion: String? = nil) {
            self.nvram = nvram
            self.tpmVersion = tpmVersion
        }

        /// Where libvirt keeps the state of every domain's emulated TPM, a folder per domain UUID.
        public static let tpmRoot = "/var/lib/libvirt/swtpm"

        /// Where libvirt keeps the swtpm state of the domain with `uuid` (its default
        /// `/var/lib/libvirt/swtpm/<uuid>/tpm2/tpm2-00.permall`), when it has an emulated TPM.
        public func tpmStatePath(uuid: String, root: String = tpmRoot) -> String? {
            guard let tpmVersion else { return nil }
            return tpmVersion == "1.2"
                ? "\(root)/\(uuid)/tpm1.2/tpm-00.permall" : "\(root)/\(uuid)/tpm2/tpm2-00.permall"
        }
    }

    /// The domain's state files, as its XML names them.
    public static func stateFiles(fromDomainXML xml: String) throws -> StateFiles {
        let document = try XMLDocument(xmlString: xml, options: [])
        let nvram = try document.nodes(forXPath: "/domain/os/nvram").first?.stringValue?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let backend =
            try document.nodes(forXPath: "/domain/devices/tpm/backend[@type='emulator']").first
            as? XMLElement
        let version = backend.map { $0.attribute(forName: "version")?.stringValue ?? "2.0" }
        return StateFiles(nvram: nvram?.isEmpty == false ? nvram : nil, tpmVersion: version)
    }
}
