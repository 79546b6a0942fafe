import Foundation
import Testing

@testable import Engine

#if canImport(FoundationXML)
    import FoundationXML
#endif

private let copyUUID = UUID(uuidString: "0b7e4f0a-5d1c-4c8e-9a3e-2f6b1d9c7a10")!

private func serverCopy(
    disks: [String: DomainCopy.DiskImage] = [
        "vda": .init(path: "/restore/web01-copy/vda.qcow2", format: .qcow2),
        "vdb": .init(path: "/restore/web01-copy/vdb.raw", format: .raw),
        "vdc": .init(path: "/restore/web01-copy/vdc.qcow2", format: .qcow2),
    ],
    keepNetwork: Bool = true, nvramPath: String? = nil, folder: String? = nil, restoredFrom: String? = nil
) -> DomainCopy {
    DomainCopy(
        name: "web01-copy", uuid: copyUUID, disks: disks, keepNetwork: keepNetwork, nvramPath: nvramPath,
        characterDeviceFolder: folder, restoredFrom: restoredFrom)
}

/// The copy's XML, parsed again: what libvirt would read.
private struct Copied {
    let definition: DomainCopy.Definition
    let root: XMLElement

    init(_ copy: DomainCopy, of xml: String = DomainCopyFixtures.server, seed: UInt64 = 1) throws {
        var generator = SeededGenerator(seed: seed)
        definition = try copy.definition(from: xml, using: &generator)
        root = try #require(try XMLDocument(xmlString: definition.xml, options: []).rootElement())
    }

    /// The string values of the nodes (elements or attributes) an XPath selects.
    func values(_ xpath: String) throws -> [String] {
        try root.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
    }

    func count(_ xpath: String) throws -> Int {
        try root.nodes(forXPath: xpath).count
    }

    func has(note prefix: String) -> Bool {
        definition.notes.contains { $0.hasPrefix(prefix) }
    }
}

/// SplitMix64: the same MAC addresses on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Both XMLs as one formatter writes them, so only content differences count.
private func normalized(_ xml: String) throws -> String {
    let root = try #require(try XMLDocument(xmlString: xml, options: []).rootElement())
    return root.xmlString(options: [.nodePrettyPrint, .nodeCompactEmptyElement])
}

@Suite struct DomainCopyTests {
    @Test func theTestGuestsCopyDiffersFromItOnlyInIdentityDisksAndConsoleFile() throws {
        let copy = DomainCopy(
            name: "guest01-copy", uuid: copyUUID,
            disks: [
                "vda": .init(path: "/restore/guest01-copy/vda.qcow2", format: .qcow2),
                "vdb": .init(path: "/restore/guest01-copy/vdb.raw", format: .raw),
            ],
            characterDeviceFolder: "/restore/guest01-copy/", restoredFrom: "20261122T013000Z-3f9a")
        var generator = SeededGenerator(seed: 1)
        let definition = try copy.definition(from: DomainCopyFixtures.testGuest, using: &generator)

        var expected = DomainCopyFixtures.testGuest
        for (old, new) in [
            ("<name>guest01</name>", "<name>guest01-copy</name>"),
            (
                "<uuid>e2bfcc62-e731-4cb1-a6a1-c633b3ed462b</uuid>",
                "<uuid>0b7e4f0a-5d1c-4c8e-9a3e-2f6b1d9c7a10</uuid>"
                    + "<description>Restored from backup 20261122T013000Z-3f9a of guest01.</description>"
            ),
            ("/srv/vmbt/guest01/disk-a.qcow2", "/restore/guest01-copy/vda.qcow2"),
            ("/srv/vmbt/guest01/disk-b.raw", "/restore/guest01-copy/vdb.raw"),
            ("/srv/vmbt/guest01/guest01.console.log", "/restore/guest01-copy/serial0.log"),
        ] {
            #expect(expected.contains(old))
            expected = expected.replacingOccurrences(of: old, with: new)
        }
        #expect(try normalized(definition.xml) == normalized(expected))
        #expect(definition.uuid == "0b7e4f0a-5d1c-4c8e-9a3e-2f6b1d9c7a10")
        #expect(definition.macAddresses.isEmpty)
        #expect(
            definition.notes == [
                "serial 0 writes to /restore/guest01-copy/serial0.log",
                "console 0 writes to /restore/guest01-copy/serial0.log",
            ])
    }

    @Test func theCopyHasTheNewNameAndUUIDWhereverTheOriginalNamedItsOwn() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/name") == ["web01-copy"])
        #expect(try copied.values("/domain/uuid") == ["0b7e4f0a-5d1c-4c8e-9a3e-2f6b1d9c7a10"])
        #expect(try copied.values("/domain/sysinfo/system/entry[@name='uuid']") == [copied.definition.uuid])
        #expect(try copied.values("/domain/sysinfo/system/entry[@name='manufacturer']") == ["Example"])
        #expect(try copied.values("/domain/genid") == [""])
        #expect(try copied.values("/domain/title") == ["Web server"])
        #expect(try copied.values("/domain/description") == ["Production web server"])
        #expect(try copied.count("/domain/metadata/*") == 1)
    }

    @Test func aGeneratedUUIDIsNewAndLowercase() throws {
        let copy = DomainCopy(name: "guest01-copy", disks: [:])
        let definition = try copy.definition(from: DomainCopyFixtures.testGuest)
        #expect(definition.uuid == copy.uuid.uuidString.lowercased())
        #expect(definition.uuid != "e2bfcc62-e731-4cb1-a6a1-c633b3ed462b")
        #expect(definition.xml.contains("<uuid>\(definition.uuid)</uuid>"))
    }

    @Test func theDescriptionNamesTheBackupAfterWhatItSaid() throws {
        let copied = try Copied(serverCopy(restoredFrom: "nightly"))
        #expect(
            try copied.values("/domain/description") == [
                "Production web server\nRestored from backup nightly of web01."
            ])
    }

    @Test func restoredDisksRunOnTheirNewImagesAloneAndKeepWhatTheGuestSees() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/devices/disk[@device='disk']/target/@dev") == ["vda", "vdb", "vdc"])
        #expect(try copied.values("/domain/devices/disk[@device='disk']/@type") == ["file", "file", "file"])
        #expect(
            try copied.values("/domain/devices/disk[@device='disk']/source/@file") == [
                "/restore/web01-copy/vda.qcow2", "/restore/web01-copy/vdb.raw", "/restore/web01-copy/vdc.qcow2",
            ])
        #expect(try copied.count("/domain/devices/disk/source/@*") == 3)
        #expect(try copied.values("/domain/devices/disk[@device='disk']/driver/@type") == ["qcow2", "raw", "qcow2"])
        #expect(try copied.count("//backingStore") == 0)
        // The guest-facing settings stay: serial, boot order, cache and I/O modes, PCI address.
        #expect(try copied.values("/domain/devices/disk[target/@dev='vda']/serial") == ["web01-root"])
        #expect(try copied.values("/domain/devices/disk[target/@dev='vda']/boot/@order") == ["1"])
        #expect(try copied.values("/domain/devices/disk[target/@dev='vda']/driver/@discard") == ["unmap"])
        #expect(try copied.values("/domain/devices/disk[target/@dev='vdb']/driver/@cache") == ["none"])
        #expect(try copied.values("/domain/devices/disk[target/@dev='vdb']/address/@bus") == ["0x07"])
    }

    @Test func aQcow2DiskWithABackingChainLosesTheChain() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <disk type='file' device='disk'>
                <driver name='qemu' type='qcow2'/>
                <source file='/images/web01.overlay' index='2'/>
                <backingStore type='file' index='1'>
                  <format type='qcow2'/><source file='/images/web01.qcow2'/><backingStore/>
                </backingStore>
                <target dev='vda' bus='virtio'/>
              </disk>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: ["vda": .init(path: "/r/vda.raw", format: .raw)]), of: xml)
        #expect(try copied.values("//disk/source/@file") == ["/r/vda.raw"])
        #expect(try copied.count("//disk/source/@index") == 0)
        #expect(try copied.count("//backingStore") == 0)
        #expect(try copied.values("//disk/driver/@type") == ["raw"])
    }

    @Test func aDiskWithoutADriverGetsOneForItsFormat() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <disk type='network' device='disk'>
                <source protocol='rbd' name='pool/web01'><host name='ceph1' port='6789'/></source>
                <auth username='admin'><secret type='ceph' usage='client.admin'/></auth>
                <target dev='vda' bus='virtio'/>
              </disk>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: ["vda": .init(path: "/r/vda.qcow2", format: .qcow2)]), of: xml)
        #expect(try copied.values("//disk/@type") == ["file"])
        #expect(try copied.values("//disk/driver/@name") == ["qemu"])
        #expect(try copied.values("//disk/driver/@type") == ["qcow2"])
        #expect(try copied.count("//disk/auth") == 0)
        #expect(try copied.count("//disk/source/host") == 0)
    }

    @Test func disksThatAreNotRestoredAreLeftOutAndTheCdromKeepsAnEmptyTray() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.count("/domain/devices/disk[target/@dev='vdd']") == 0)
        #expect(try copied.values("/domain/devices/disk[@device='cdrom']/target/@dev") == ["sda"])
        #expect(try copied.count("/domain/devices/disk[@device='cdrom']/source") == 0)
        #expect(try copied.count("/domain/devices/disk[@device='cdrom']/readonly") == 1)
        #expect(copied.has(note: "disk vdd left out: not restored"))
        #expect(copied.has(note: "cdrom sda kept with an empty tray"))
    }

    @Test func aDiskTheOriginalDoesNotHaveIsABadRequest() {
        let copy = serverCopy(disks: ["vdz": .init(path: "/r/vdz.qcow2", format: .qcow2)])
        let error = #expect(throws: EngineError.self) { try copy.definition(from: DomainCopyFixtures.server) }
        #expect(error?.code == .badRequest)
        #expect(error?.disk == "vdz")
        #expect(error?.message == "VM web01 has no disk named vdz (its disks: vda, vdb, vdc, vdd, sda)")
    }

    @Test func aCopyNeedsANameAndUUIDOfItsOwn() {
        let sameName = DomainCopy(name: "web01", disks: [:])
        #expect(throws: EngineError.self) { try sameName.definition(from: DomainCopyFixtures.server) }
        let sameUUID = DomainCopy(
            name: "web01-copy", uuid: UUID(uuidString: "6F1D1A52-3C55-4B1E-9B8E-0C1F2A3B4C5D")!, disks: [:])
        let error = #expect(throws: EngineError.self) { try sameUUID.definition(from: DomainCopyFixtures.server) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("UUID") == true)
    }

    @Test func xmlThatIsNotADomainIsAnInternalError() {
        let copy = serverCopy(disks: [:])
        // A truncated file must not read as a smaller domain.
        let truncated = #expect(throws: EngineError.self) { try copy.definition(from: "<domain><name>web01</na") }
        #expect(truncated?.code == .internal)
        #expect(truncated?.message.hasPrefix("the saved domain XML cannot be read: line 1") == true)
        let error = #expect(throws: EngineError.self) { try copy.definition(from: "<network><name>x</name></network>") }
        #expect(error?.code == .internal)
        #expect(error?.message == "the saved domain XML has no <domain> element")
    }

    @Test func everyInterfaceGetsANewLocallyAdministeredMACAndNoFixedTapName() throws {
        let copied = try Copied(serverCopy())
        let macs = try copied.values("/domain/devices/interface/mac/@address")
        #expect(macs == copied.definition.macAddresses)
        #expect(macs.count == 2)
        #expect(Set(macs).count == 2)
        #expect(!macs.contains("52:54:00:12:34:56") && !macs.contains("52:54:00:ab:cd:ef"))
        #expect(macs.allSatisfy { $0.wholeMatch(of: /52:54:00(:[0-9a-f]{2}){3}/) != nil })
        #expect(try copied.count("/domain/devices/interface/target") == 0)
        #expect(try copied.values("/domain/devices/interface/source/@network") == ["default"])
        #expect(try copied.values("/domain/devices/interface/source/@bridge") == ["br0"])
        #expect(copied.has(note: "interface 52:54:00:12:34:56 gets MAC address \(macs[0])"))
    }

    @Test func theSameSeedDrawsTheSameAddressesAndAnotherSeedOthers() throws {
        let first = try Copied(serverCopy(), seed: 7).definition.macAddresses
        #expect(try Copied(serverCopy(), seed: 7).definition.macAddresses == first)
        #expect(try Copied(serverCopy(), seed: 8).definition.macAddresses != first)
    }

    @Test func aMACAddressNeverRepeatsOneTheOriginalUses() throws {
        // The first address this seed draws, given to the original: the copy must draw again.
        var generator = SeededGenerator(seed: 3)
        let first = DomainCopyRewrite.randomMAC(using: &generator)
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <interface type='network'><mac address='\(first.uppercased())'/><source network='default'/></interface>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml, seed: 3)
        #expect(copied.definition.macAddresses.count == 1)
        #expect(copied.definition.macAddresses != [first])
    }

    @Test func aDrillCopyHasNoNetworkInterfaces() throws {
        let copied = try Copied(serverCopy(keepNetwork: false))
        #expect(try copied.count("/domain/devices/interface") == 0)
        #expect(copied.definition.macAddresses.isEmpty)
        #expect(copied.has(note: "network interfaces left out (2)"))
    }

    @Test func fileConsolesWriteIntoTheCopysFolderAndLogFilesAreLeftOut() throws {
        let copied = try Copied(serverCopy(folder: "/restore/web01-copy"))
        #expect(try copied.values("/domain/devices/serial[target/@port='0']/@type") == ["file"])
        #expect(
            try copied.values("/domain/devices/serial[target/@port='0']/source/@path") == [
                "/restore/web01-copy/serial0.log"
            ])
        #expect(try copied.values("/domain/devices/serial[target/@port='0']/source/@append") == ["on"])
        // The console mirrors serial port 0 and must follow it to the same file.
        #expect(try copied.values("/domain/devices/console/source/@path") == ["/restore/web01-copy/serial0.log"])
        #expect(try copied.count("//log") == 0)
    }

    @Test func withoutAFolderFileConsolesBecomePTYs() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/devices/serial/@type") == ["pty", "pty"])
        #expect(try copied.values("/domain/devices/console/@type") == ["pty"])
        #expect(try copied.count("/domain/devices/serial/source") == 0)
        #expect(try copied.count("/domain/devices/console/source") == 0)
        #expect(try copied.values("/domain/devices/serial/target/@port") == ["0", "1"])
        #expect(copied.has(note: "serial 0 is a pty: it wrote to /var/log/libvirt/qemu/web01-serial.log"))
    }

    @Test func aUnixSerialPortBecomesAPTY() throws {
        let copied = try Copied(serverCopy(folder: "/restore/web01-copy"))
        #expect(try copied.values("/domain/devices/serial[target/@port='1']/@type") == ["pty"])
        #expect(try copied.count("/domain/devices/serial[target/@port='1']/source") == 0)
        #expect(copied.has(note: "serial 1 is a pty: it used /run/web01/serial1.sock"))
    }

    @Test func aRunningDomainsConsoleAndAgentChannelLoseTheirHostPaths() throws {
        let xml = """
            <domain type='kvm' id='7'><name>web01</name><devices>
              <serial type='pty'>
                <source path='/dev/pts/3'/><target type='isa-serial' port='0'/><alias name='serial0'/>
              </serial>
              <console type='pty' tty='/dev/pts/3'>
                <source path='/dev/pts/3'/><target type='serial' port='0'/>
              </console>
              <channel type='unix'>
                <source mode='bind' path='/var/lib/libvirt/qemu/channel/target/domain-7-web01/org.qemu.guest_agent.0'/>
                <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>
              </channel>
              <channel type='tcp'>
                <source mode='bind' host='127.0.0.1' service='4555'/><protocol type='raw'/>
                <target type='virtio' name='org.example.tcp'/>
              </channel>
              <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try copied.count("/domain/@id") == 0)
        #expect(try copied.values("/domain/devices/serial/@type") == ["pty"])
        #expect(try copied.count("/domain/devices/serial/source") == 0)
        #expect(try copied.values("/domain/devices/serial/alias/@name") == ["serial0"])
        #expect(try copied.count("/domain/devices/console/@tty") == 0)
        #expect(try copied.values("/domain/devices/channel/@type") == ["unix", "pty", "spicevmc"])
        #expect(try copied.values("/domain/devices/channel[1]/source/@mode") == ["bind"])
        #expect(try copied.count("/domain/devices/channel[1]/source/@path") == 0)
        #expect(try copied.count("/domain/devices/channel/target/@state") == 0)
        #expect(try copied.count("/domain/devices/channel[2]/source") == 0)
        #expect(try copied.count("/domain/devices/channel[2]/protocol") == 0)
        #expect(
            try copied.values("/domain/devices/channel/target/@name") == [
                "org.qemu.guest_agent.0", "org.example.tcp", "com.redhat.spice.0",
            ])
    }

    @Test func fixedGraphicsPortsAreLeftToLibvirt() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/devices/graphics/@type") == ["spice", "vnc"])
        #expect(try copied.values("/domain/devices/graphics/@autoport") == ["yes", "yes"])
        #expect(try copied.count("/domain/devices/graphics/@port") == 0)
        #expect(try copied.values("/domain/devices/graphics[@type='vnc']/@websocket") == ["-1"])
        #expect(try copied.values("/domain/devices/graphics/listen/@address") == ["127.0.0.1", "0.0.0.0"])
        #expect(copied.has(note: "spice graphics: libvirt picks what was port 5901"))
        #expect(copied.has(note: "vnc graphics: libvirt picks what was port 5910, websocket port 5710"))
    }

    @Test func aRunningDomainsGraphicsLoseTheirPortsAndSocketsQuietlyWhenAutomatic() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>
                <listen type='address' address='127.0.0.1'/>
              </graphics>
              <graphics type='vnc' socket='/run/web01/vnc.sock'>
                <listen type='socket' socket='/run/web01/vnc.sock'/>
              </graphics>
              <graphics type='spice' port='5901' tlsPort='5902' autoport='no'/>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try copied.count("//graphics/@port") == 0)
        #expect(try copied.count("//graphics/@tlsPort") == 0)
        #expect(try copied.count("//@socket") == 0)
        #expect(try copied.values("//graphics/@autoport") == ["yes", "yes"])
        #expect(try copied.values("//graphics[2]/listen/@type") == ["socket"])
        #expect(
            copied.definition.notes == [
                "vnc graphics: libvirt picks what was socket /run/web01/vnc.sock",
                "spice graphics: libvirt picks what was port 5901, TLS port 5902",
            ])
    }

    @Test func theNVRAMGoesToTheGivenFile() throws {
        let copied = try Copied(serverCopy(nvramPath: "/var/lib/libvirt/qemu/nvram/web01-copy_VARS.fd"))
        #expect(try copied.values("/domain/os/nvram") == ["/var/lib/libvirt/qemu/nvram/web01-copy_VARS.fd"])
        #expect(try copied.values("/domain/os/nvram/@template") == ["/usr/share/OVMF/OVMF_VARS_4M.ms.fd"])
        #expect(try copied.values("/domain/os/loader") == ["/usr/share/OVMF/OVMF_CODE_4M.ms.fd"])
    }

    @Test func withoutAnNVRAMFileLibvirtMakesOneFromTheTemplate() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/os/nvram") == [""])
        #expect(try copied.values("/domain/os/nvram/@template") == ["/usr/share/OVMF/OVMF_VARS_4M.ms.fd"])
        #expect(copied.has(note: "NVRAM file left to libvirt (was /var/lib/libvirt/qemu/nvram/web01_VARS.fd)"))
    }

    @Test func anNVRAMWithoutATemplateIsLeftOutWhole() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><os>
              <loader readonly='yes' type='pflash'>/fw/CODE.fd</loader>
              <nvram type='file'><source file='/var/lib/libvirt/qemu/nvram/web01_VARS.fd'/></nvram>
            </os></domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try copied.count("/domain/os/nvram") == 0)
        let placed = try Copied(serverCopy(disks: [:], nvramPath: "/n/VARS.fd"), of: xml)
        #expect(try placed.values("/domain/os/nvram") == ["/n/VARS.fd"])
        #expect(try placed.count("/domain/os/nvram/@type") == 0)
        #expect(try placed.count("/domain/os/nvram/source") == 0)
    }

    @Test func aBIOSDomainGetsNoNVRAM() throws {
        let copied = try Copied(serverCopy(disks: [:], nvramPath: "/n/VARS.fd"), of: DomainCopyFixtures.testGuest)
        #expect(try copied.count("/domain/os/nvram") == 0)
    }

    @Test func anEmulatedTPMStaysForTheNewUUIDAndAHostTPMIsLeftOut() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.values("/domain/devices/tpm/backend/@type") == ["emulator"])
        #expect(try copied.values("/domain/devices/tpm/backend/@version") == ["2.0"])
        let statePath = """
            <domain type='kvm'><name>web01</name><devices>
              <tpm model='tpm-crb'>
                <backend type='emulator' version='2.0'><source type='dir' path='/srv/tpm/web01'/></backend>
              </tpm>
            </devices></domain>
            """
        let own = try Copied(serverCopy(disks: [:]), of: statePath)
        #expect(try own.values("//tpm/backend/@type") == ["emulator"])
        #expect(try own.count("//tpm/backend/source") == 0)
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpm0'/></backend></tpm>
            </devices></domain>
            """
        let host = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try host.count("//tpm") == 0)
        #expect(host.has(note: "passthrough TPM left out"))
    }

    @Test func fixedSecurityLabelsAreDroppedAndDynamicOnesLoseTheirLabel() throws {
        #expect(try Copied(serverCopy()).count("//seclabel") == 0)
        let xml = """
            <domain type='kvm'><name>web01</name>
              <seclabel type='dynamic' model='selinux' relabel='yes'>
                <label>system_u:system_r:svirt_t:s0:c1,c2</label>
                <imagelabel>system_u:object_r:svirt_image_t:s0:c1,c2</imagelabel>
              </seclabel>
              <seclabel type='dynamic' model='dac' relabel='yes'><label>+64055:+64055</label></seclabel>
            </domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try copied.values("//seclabel/@model") == ["selinux", "dac"])
        #expect(try copied.count("//seclabel/*") == 0)
    }

    @Test func hostDevicesAndHostFoldersAreLeftOutAndTheVsockCIDIsAutomatic() throws {
        let copied = try Copied(serverCopy())
        #expect(try copied.count("//hostdev") == 0)
        #expect(try copied.count("//filesystem") == 0)
        #expect(try copied.values("/domain/devices/vsock/cid/@auto") == ["yes"])
        #expect(try copied.count("/domain/devices/vsock/cid/@address") == 0)
        #expect(copied.has(note: "host device pci 0000:03:00.0 left out"))
        #expect(copied.has(note: "filesystem share left out"))
        #expect(copied.has(note: "vsock: libvirt picks the CID (was 42)"))
        // What uses no host resource stays.
        #expect(try copied.count("/domain/devices/controller") == 17)
        #expect(try copied.values("/domain/devices/video/model/@type") == ["qxl"])
        #expect(
            try copied.values("/domain/devices/channel/target/@name") == [
                "org.qemu.guest_agent.0", "com.redhat.spice.0",
            ])
    }

    @Test func otherDevicesBoundToTheOriginalOnTheHostAreLeftOut() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <lease><lockspace>ls</lockspace><key>web01</key><target path='/var/lib/sanlock/ls'/></lease>
              <shmem name='web01-shm'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem>
              <input type='evdev'><source dev='/dev/input/event1'/></input>
              <input type='keyboard' bus='virtio'/>
              <memory model='nvdimm'><source><path>/srv/web01.nvdimm</path></source><target><size unit='MiB'>64</size></target></memory>
              <memory model='dimm'><target><size unit='MiB'>512</size><node>0</node></target></memory>
              <filesystem type='ram'><source usage='1024' units='KiB'/><target dir='scratch'/></filesystem>
              <interface type='hostdev' managed='yes'>
                <mac address='52:54:00:00:00:01'/>
                <source><address type='pci' domain='0x0000' bus='0x04' slot='0x10' function='0x1'/></source>
              </interface>
              <interface type='vhostuser'>
                <mac address='52:54:00:00:00:02'/><source type='unix' path='/run/vhost/web01.sock' mode='server'/>
              </interface>
              <interface type='user'><mac address='52:54:00:00:00:03'/></interface>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: [:]), of: xml)
        #expect(try copied.count("//lease | //shmem") == 0)
        #expect(try copied.values("//input/@type") == ["keyboard"])
        #expect(try copied.values("//memory/@model") == ["dimm"])
        #expect(try copied.values("//filesystem/target/@dir") == ["scratch"])
        #expect(try copied.values("//interface/@type") == ["user"])
        #expect(copied.definition.macAddresses.count == 1)
        #expect(
            copied.definition.notes.filter { $0.contains("left out") } == [
                "hostdev interface 52:54:00:00:00:01 left out: it uses a host resource of the original",
                "vhostuser interface 52:54:00:00:00:02 left out: it uses a host resource of the original",
                "lease web01 left out: the original holds it",
                "shared memory web01-shm left out: the original uses it",
                "host input device left out: the original holds it",
                "nvdimm device left out: its file belongs to the original",
            ])
    }

    @Test func aRestoredLUNBecomesAPlainDiskAndAFloppyIsEmptied() throws {
        let xml = """
            <domain type='kvm'><name>web01</name><devices>
              <disk type='block' device='lun' sgio='filtered'>
                <driver name='qemu' type='raw'/><source dev='/dev/sdx'/><target dev='sda' bus='scsi'/>
              </disk>
              <disk type='file' device='floppy'>
                <source file='/srv/floppy.img'/><target dev='fda' bus='fdc'/>
              </disk>
            </devices></domain>
            """
        let copied = try Copied(serverCopy(disks: ["sda": .init(path: "/r/sda.raw", format: .raw)]), of: xml)
        #expect(try copied.values("//disk/@device") == ["disk", "floppy"])
        #expect(try copied.values("//disk/@type") == ["file", "file"])
        #expect(try copied.values("//disk/source/@file") == ["/r/sda.raw"])
        #expect(copied.has(note: "floppy fda kept with an empty tray"))
    }
}
