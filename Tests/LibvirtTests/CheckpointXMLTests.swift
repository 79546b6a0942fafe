import Libvirt
import Testing

struct CheckpointNameTests {
    @Test func aBackupsCheckpointIsItsIDAfterThePrefix() {
        let name = CheckpointName(backupID: "20261122T013000Z-3f9a")
        #expect(name.rawValue == "vmbackup-20261122T013000Z-3f9a")
        #expect(name.backupID == "20261122T013000Z-3f9a")
    }

    @Test func onlyNamesWithThePrefixAreTheDaemonsOwn() {
        #expect(CheckpointName("vmbackup-x")?.backupID == "x")
        #expect(CheckpointName("vmbackup-") == nil)
        #expect(CheckpointName("virtnbdbackup.0") == nil)
        #expect(DomainCheckpoint(name: "virtnbdbackup.1", parent: "virtnbdbackup.0").ownName == nil)
    }
}

struct CheckpointXMLTests {
    @Test func aDefinitionNamesEveryDiskWithABitmapOrNone() {
        let definition = CheckpointDefinition(
            name: CheckpointName(backupID: "a&b"), bitmapDisks: ["vda"], skippedDisks: ["vdb"])
        #expect(
            definition.xml == """
                <domaincheckpoint>
                  <name>vmbackup-a&amp;b</name>
                  <description>vmbackup changed-block tracking</description>
                  <disks>
                    <disk name='vda' checkpoint='bitmap'/>
                    <disk name='vdb' checkpoint='no'/>
                  </disks>
                </domaincheckpoint>
                """)
    }

    @Test func disksAreReadWithTheirBitmapAndChangedBytes() throws {
        let xml = """
            <domaincheckpoint>
              <name>vmbackup-b</name>
              <parent><name>vmbackup-a</name></parent>
              <disks>
                <disk name='vda' checkpoint='bitmap' bitmap='vmbackup-b' size='8388608'/>
                <disk name='vdb' checkpoint='no'/>
              </disks>
            </domaincheckpoint>
            """
        #expect(
            try CheckpointXML.disks(fromCheckpointXML: xml) == [
                CheckpointDisk(name: "vda", hasBitmap: true, bitmap: "vmbackup-b", changedBytes: 8 << 20),
                CheckpointDisk(name: "vdb", hasBitmap: false, bitmap: nil, changedBytes: nil),
            ])
    }
}

struct PullBackupXMLTests {
    @Test func anIncrementalRequestNamesItsCheckpointSocketScratchAndSkippedDisks() {
        let request = PullBackupRequest(
            incrementalSince: "vmbackup-a", socketPath: "/run/vmbackup/job.sock",
            disks: [.init(name: "vda", scratchPath: "/var/lib/vmbackup/vda.scratch")], skippedDisks: ["vdb"])
        #expect(
            request.xml == """
                <domainbackup mode='pull'>
                  <incremental>vmbackup-a</incremental>
                  <server transport='unix' socket='/run/vmbackup/job.sock'/>
                  <disks>
                    <disk name='vda' backup='yes' type='file'>
                      <scratch file='/var/lib/vmbackup/vda.scratch'/>
                    </disk>
                    <disk name='vdb' backup='no'/>
                  </disks>
                </domainbackup>
                """)
    }

    @Test func aFullRequestHasNoIncrementalElement() {
        let request = PullBackupRequest(incrementalSince: nil, socketPath: "/s", disks: [])
        #expect(!request.xml.contains("<incremental>"))
    }

    /// As libvirt 9.0 reports a running incremental job (`virsh backup-dumpxml`).
    @Test func aJobsDisksCarryTheirExportAndBitmap() throws {
        let xml = """
            <domainbackup mode='pull'>
              <incremental>vmbackup-a</incremental>
              <server transport='unix' socket='/var/tmp/x/nbd.sock'/>
              <disks>
                <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='vmbackup-a' \
            exportname='vda' exportbitmap='backup-vda' index='2'>
                  <driver type='qcow2'/>
                  <scratch file='/var/tmp/x/vda.scratch'/>
                </disk>
                <disk name='vdb' backup='no'/>
              </disks>
            </domainbackup>
            """
        #expect(try BackupJobXML.socketPath(fromBackupXML: xml) == "/var/tmp/x/nbd.sock")
        #expect(
            try BackupJobXML.disks(fromBackupXML: xml) == [
                BackupJobDisk(
                    name: "vda", exportName: "vda", exportBitmap: "backup-vda", incrementalSince: "vmbackup-a",
                    scratchPath: "/var/tmp/x/vda.scratch")
            ])
    }

    /// After libvirtd restarts during a job, libvirt 9.0 no longer writes `exportname`.
    @Test func aDiskWithoutExportNameIsExportedUnderItsTarget() throws {
        let xml = """
            <domainbackup mode='pull'>
              <disks><disk name='vda' backup='yes' exportbitmap='backup-vda'/></disks>
            </domainbackup>
            """
        #expect(try BackupJobXML.disks(fromBackupXML: xml).map(\.exportName) == ["vda"])
    }
}
