import Foundation
import Libvirt
import Testing

@testable import Engine

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A copy of a domain defined and started in libvirt beside the original, as a restore `--as` or a
/// drill does it.
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    .enabled(if: LibvirtHost.hasGuestKernel, "no /boot/vmlinuz-*-amd64 for the test guest"))
struct DomainCopyRoundTripTests {
    static let copyPrefix = TestGuest.prefix + "copy-"

    /// A copy's own folder and domain, removed again by `tearDown` whatever happened.
    final class CopyPlace {
        let name: String
        let folder: URL
        let connection: LibvirtConnection

        init(_ suffix: String, connection: LibvirtConnection) throws {
            name = DomainCopyRoundTripTests.copyPrefix + suffix
            folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
            self.connection = connection
            Self.removeDomain(named: name, on: connection)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }

        func tearDown() {
            Self.removeDomain(named: name, on: connection)
            try? FileManager.default.removeItem(at: folder)
        }

        static func removeDomain(named name: String, on connection: LibvirtConnection) {
            guard let domain = try? connection.lookupDomain(name) else { return }
            try? domain.destroy()
            try? domain.undefineRemovingOwnedState()
        }
    }

    /// The MAC addresses of a domain's interfaces, in document order.
    static func macAddresses(_ xml: String) throws -> [String] {
        let document = try XMLDocument(xmlString: xml, options: [])
        return try document.nodes(forXPath: "/domain/devices/interface/mac/@address").compactMap(\.stringValue)
    }

    @Test(.timeLimit(.minutes(3)))
    func aCopyStartsPausedBesideTheOriginalWithItsOwnUUIDMACsDisksAndConsole() throws {
        let original = try TestGuest("copy-original", agent: false)
        defer { original.tearDown() }
        let place = try CopyPlace("beside", connection: original.connection)
        defer { place.tearDown() }

        // The original gets a network interface, live and in its definition, as a server has.
        let interface = place.path("interface.xml")
        try Data("<interface type='user'><mac address='52:54:00:00:be:ef'/><model type='virtio'/></interface>".utf8)
            .write(to: URL(fileURLWithPath: interface))
        try HostCommand.run(
            "/usr/bin/virsh",
            ["-q", "-c", LibvirtHost.uri, "attach-device", original.name, interface, "--live", "--config"])
        let saved = try original.domain.xmlDescription(inactive: true)
        #expect(try Self.macAddresses(saved) == ["52:54:00:00:be:ef"])

        try HostCommand.run("/usr/bin/qemu-img", ["create", "-q", "-f", "qcow2", place.path("vda.qcow2"), "16M"])
        try HostCommand.run("/usr/bin/truncate", ["-s", "16M", place.path("vdb.raw")])
        let copy = DomainCopy(
            name: place.name,
            disks: [
                "vda": .init(path: place.path("vda.qcow2"), format: .qcow2),
                "vdb": .init(path: place.path("vdb.raw"), format: .raw),
            ],
            characterDeviceFolder: place.folder.path, restoredFrom: "20260101T000000Z-test")
        let definition = try copy.definition(from: saved)

        let domain = try original.connection.defineDomain(xml: definition.xml)
        try domain.start(paused: true)

        #expect(domain.name == place.name)
        #expect(domain.uuid == definition.uuid)
        #expect(domain.uuid != original.domain.uuid)
        #expect(try domain.isPersistent)
        #expect(try domain.state() == .paused)
        #expect(try original.domain.state() == .running)
        let live = try domain.xmlDescription()
        let macs = try Self.macAddresses(live)
        #expect(macs == definition.macAddresses)
        #expect(macs.count == 1 && macs != ["52:54:00:00:be:ef"])
        let disks = try DomainXML.disks(fromDomainXML: live)
        #expect(disks.map(\.sourcePath) == [place.path("vda.qcow2"), place.path("vdb.raw")])
        #expect(disks.map(\.format) == ["qcow2", "raw"])
        #expect(FileManager.default.fileExists(atPath: place.path("serial0.log")))
        #expect(live.contains("Restored from backup 20260101T000000Z-test of \(original.name)."))

        try domain.destroy()
        try domain.undefineRemovingOwnedState()
        #expect(throws: LibvirtError.self) { try original.connection.lookupDomain(place.name) }
        #expect(try original.domain.state() == .running)
    }

    /// A server's definition with everything a copy must not share; libvirt defines it without
    /// the devices' host resources existing.
    static let server = """
        <domain type='kvm'>
          <name>vmbt-server</name>
          <uuid>6f1d1a52-3c55-4b1e-9b8e-0c1f2a3b4c5d</uuid>
          <genid>1c0f3d8e-7b2a-4a51-9c11-5d4e3f2a1b0c</genid>
          <memory unit='MiB'>256</memory>
          <vcpu>1</vcpu>
          <sysinfo type='smbios'>
            <system><entry name='uuid'>6f1d1a52-3c55-4b1e-9b8e-0c1f2a3b4c5d</entry></system>
          </sysinfo>
          <os>
            <type arch='x86_64' machine='q35'>hvm</type>
            <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/vmbt-server_VARS.fd</nvram>
            <smbios mode='sysinfo'/>
          </os>
          <features><acpi/></features>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='/var/lib/libvirt/images/vmbt-server.overlay'/>
              <backingStore type='file'>
                <format type='qcow2'/><source file='/var/lib/libvirt/images/vmbt-server.qcow2'/>
              </backingStore>
              <target dev='vda' bus='virtio'/>
            </disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw' cache='none' io='native'/>
              <source dev='/dev/vg0/vmbt-server-data'/>
              <target dev='vdb' bus='virtio'/>
            </disk>
            <disk type='volume' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source pool='default' volume='vmbt-server-logs.qcow2'/>
              <target dev='vdc' bus='virtio'/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <source file='/srv/iso/debian-12.iso'/>
              <target dev='sda' bus='sata'/>
              <readonly/>
            </disk>
            <interface type='network'>
              <mac address='52:54:00:12:34:56'/><source network='default'/><model type='virtio'/>
            </interface>
            <interface type='bridge'>
              <mac address='52:54:00:ab:cd:ef'/><source bridge='br0'/><target dev='vmbt-br0'/>
              <model type='virtio'/>
            </interface>
            <serial type='file'>
              <source path='/var/log/libvirt/qemu/vmbt-server-serial.log'/>
              <log file='/var/log/libvirt/qemu/vmbt-server-serial-copy.log'/>
              <target port='0'/>
            </serial>
            <serial type='unix'><source mode='bind' path='/run/vmbt-server/serial1.sock'/><target port='1'/></serial>
            <console type='file'>
              <source path='/var/log/libvirt/qemu/vmbt-server-serial.log'/><target type='serial' port='0'/>
            </console>
            <channel type='unix'>
              <source mode='bind' path='/run/vmbt-server/agent.sock'/>
              <target type='virtio' name='org.qemu.guest_agent.0'/>
            </channel>
            <graphics type='spice' port='5901' autoport='no' listen='127.0.0.1'/>
            <graphics type='vnc' port='5910' autoport='no' websocket='5710' listen='127.0.0.1'/>
            <vsock model='virtio'><cid auto='no' address='42'/></vsock>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source>
            </hostdev>
            <filesystem type='mount' accessmode='passthrough'>
              <source dir='/srv/vmbt-share'/><target dir='share'/>
            </filesystem>
          </devices>
          <seclabel type='static' model='dac' relabel='no'><label>1000:1000</label></seclabel>
        </domain>
        """

    @Test(.timeLimit(.minutes(1)))
    func libvirtValidatesAndDefinesTheCopyOfAServerDefinition() throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        let place = try CopyPlace("server", connection: connection)
        defer { place.tearDown() }
        let copy = DomainCopy(
            name: place.name,
            disks: [
                "vda": .init(path: place.path("vda.qcow2"), format: .qcow2),
                "vdb": .init(path: place.path("vdb.raw"), format: .raw),
            ],
            keepNetwork: false, nvramPath: place.path("VARS.fd"))
        let definition = try copy.definition(from: Self.server)

        let domain = try connection.defineDomain(xml: definition.xml)
        let defined = try domain.xmlDescription(inactive: true)
        let root = try #require(try XMLDocument(xmlString: defined, options: []).rootElement())
        func values(_ xpath: String) throws -> [String] { try root.nodes(forXPath: xpath).compactMap(\.stringValue) }

        #expect(domain.uuid == definition.uuid)
        #expect(try values("/domain/sysinfo/system/entry[@name='uuid']") == [definition.uuid])
        #expect(try values("/domain/genid").first != "1c0f3d8e-7b2a-4a51-9c11-5d4e3f2a1b0c")
        #expect(try values("/domain/os/nvram") == [place.path("VARS.fd")])
        #expect(try values("/domain/devices/disk/source/@file") == [place.path("vda.qcow2"), place.path("vdb.raw")])
        #expect(try values("/domain/devices/disk/target/@dev") == ["vda", "vdb", "sda"])
        #expect(try values("//backingStore/source/@file").isEmpty)
        #expect(try values("/domain/devices/interface").isEmpty)
        #expect(try values("/domain/devices/serial/@type") == ["pty", "pty"])
        #expect(try values("/domain/devices/channel/source/@path").isEmpty)
        #expect(try values("/domain/devices/graphics/@autoport") == ["yes", "yes"])
        // libvirt writes SPICE's automatic port as -1.
        #expect(try values("/domain/devices/graphics/@port").allSatisfy { $0 == "-1" })
        #expect(try values("/domain/devices/graphics[@type='vnc']/@websocket") == ["-1"])
        #expect(try values("/domain/devices/vsock/cid/@auto") == ["yes"])
        #expect(try values("//hostdev | //filesystem | //seclabel").isEmpty)

        try domain.undefineRemovingOwnedState()
        #expect(throws: LibvirtError.self) { try connection.lookupDomain(place.name) }
    }

    @Test func definingInvalidXMLFailsWithTheCall() throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        let name = Self.copyPrefix + "invalid"
        defer { CopyPlace.removeDomain(named: name, on: connection) }
        let error = #expect(throws: LibvirtError.self) {
            try connection.defineDomain(
                xml: "<domain type='qemu'><name>\(name)</name><memory>65536</memory><vcpu>1</vcpu>"
                    + "<os><type>hvm</type></os><devices><no-such-device/></devices></domain>")
        }
        #expect(error?.call == "virDomainDefineXMLFlags")
    }
}
