import Libvirt
import Testing

@Suite struct DomainXMLTests {
    static let fixture = """
        <domain type='kvm'>
          <name>web01</name>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none'/>
              <source file='/var/lib/libvirt/images/web01 &amp; co.qcow2'/>
              <backingStore/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <disk type='file' device='disk'>
              <driver name='qemu' type='raw'/>
              <source file='/var/lib/libvirt/images/web01-data.img'/>
              <target dev='vdb' bus='virtio'/>
            </disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw' cache='none' io='native'/>
              <source dev='/dev/vg0/web01-db'/>
              <target dev='sda' bus='scsi'/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <source file='/srv/iso/debian-12.iso'/>
              <target dev='sdb' bus='sata'/>
              <readonly/>
            </disk>
            <disk type='network' device='disk'>
              <driver name='qemu' type='raw'/>
              <source protocol='rbd' name='pool/web01-scratch'>
                <host name='ceph1' port='6789'/>
              </source>
              <target dev='vdc' bus='virtio'/>
            </disk>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source>
            </hostdev>
          </devices>
        </domain>
        """

    @Test func readsEveryDiskInDocumentOrderAndSkipsHostdev() throws {
        let disks = try DomainXML.disks(fromDomainXML: Self.fixture)
        #expect(disks.map(\.target) == ["vda", "vdb", "sda", "sdb", "vdc"])
    }

    @Test func qcow2FileDiskHasUnescapedPathFormatAndBus() throws {
        let disk = try DomainXML.disks(fromDomainXML: Self.fixture)[0]
        #expect(
            disk
                == DomainDisk(
                    device: "disk", type: "file", target: "vda",
                    sourcePath: "/var/lib/libvirt/images/web01 & co.qcow2", format: "qcow2", readOnly: false,
                    bus: "virtio"))
    }

    @Test func rawFileDiskIsRaw() throws {
        let disk = try DomainXML.disks(fromDomainXML: Self.fixture)[1]
        #expect(disk.type == "file")
        #expect(disk.format == "raw")
        #expect(disk.sourcePath == "/var/lib/libvirt/images/web01-data.img")
    }

    @Test func blockDiskSourceIsTheDevice() throws {
        let disk = try DomainXML.disks(fromDomainXML: Self.fixture)[2]
        #expect(
            disk
                == DomainDisk(
                    device: "disk", type: "block", target: "sda", sourcePath: "/dev/vg0/web01-db", format: "raw",
                    readOnly: false, bus: "scsi"))
    }

    @Test func cdromIsReadOnly() throws {
        let disk = try DomainXML.disks(fromDomainXML: Self.fixture)[3]
        #expect(disk.device == "cdrom")
        #expect(disk.readOnly)
        #expect(disk.bus == "sata")
    }

    @Test func networkDiskHasNoSourcePath() throws {
        let disk = try DomainXML.disks(fromDomainXML: Self.fixture)[4]
        #expect(disk.type == "network")
        #expect(disk.sourcePath == nil)
        #expect(disk.format == "raw")
    }

    @Test func emptyCdromHasNoSourcePath() throws {
        let xml = """
            <domain><devices><disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>\
            </devices></domain>
            """
        let disks = try DomainXML.disks(fromDomainXML: xml)
        #expect(
            disks == [
                DomainDisk(
                    device: "cdrom", type: "file", target: "hdc", sourcePath: nil, format: nil, readOnly: true,
                    bus: "ide")
            ])
    }

    @Test func malformedXMLThrows() {
        #expect(throws: (any Error).self) {
            try DomainXML.disks(fromDomainXML: "<domain><devices><disk")
        }
    }
}
