import Testing

@testable import LVM

/// `lvs`/`vgs --reportformat json` as lvm 2.03 prints them, warnings included.
struct LVMReportTests {
    static let volumes = """
          WARNING: Sum of all thin volume sizes (512.00 MiB) exceeds the size of thin pool vgt/pool (128.00 MiB).
          {
              "report": [
                  {
                      "lv": [
                          {"lv_name":"pool", "vg_name":"vgt", "lv_size":"134217728", "lv_attr":"twi-aotz--", "pool_lv":"", "origin":"", "data_percent":"0.00", "snap_percent":"0.00", "lv_path":"", "lv_snapshot_invalid":""},
                          {"lv_name":"thick", "vg_name":"vgt", "lv_size":"67108864", "lv_attr":"owi-a-s---", "pool_lv":"", "origin":"", "data_percent":"", "snap_percent":"", "lv_path":"/dev/vgt/thick", "lv_snapshot_invalid":""},
                          {"lv_name":"thsnap", "vg_name":"vgt", "lv_size":"268435456", "lv_attr":"Vwi-a-tz--", "pool_lv":"pool", "origin":"thin", "data_percent":"100.00", "snap_percent":"100.00", "lv_path":"/dev/vgt/thsnap", "lv_snapshot_invalid":""},
                          {"lv_name":"tsnap", "vg_name":"vgt", "lv_size":"8388608", "lv_attr":"swi-I-s---", "pool_lv":"", "origin":"thick", "data_percent":"100.00", "snap_percent":"100.00", "lv_path":"/dev/vgt/tsnap", "lv_snapshot_invalid":"snapshot invalid"}
                      ]
                  }
              ]
          }
        """

    @Test func logicalVolumesAreReadFromTheJSONReport() throws {
        let volumes = try LVMReport.logicalVolumes(from: Self.volumes)
        #expect(volumes.map(\.name) == ["pool", "thick", "thsnap", "tsnap"])
        let thick = volumes[1]
        #expect(thick.vgName == "vgt")
        #expect(thick.path == "/dev/vgt/thick")
        #expect(thick.sizeBytes == 64 << 20)
        #expect(thick.dataPercent == nil)
        #expect(!thick.isSnapshot && !thick.isThin && !thick.isInvalid && thick.isActive)
    }

    @Test func aThinSnapshotIsThinAndASnapshot() throws {
        let thin = try LVMReport.logicalVolumes(from: Self.volumes)[2]
        #expect(thin.isThin && thin.isSnapshot && !thin.isInvalid)
        #expect(thin.poolName == "pool")
        #expect(thin.originName == "thin")
        #expect(thin.dataPercent == 100)
    }

    @Test func anOverflowedThickSnapshotIsInvalid() throws {
        let snapshot = try LVMReport.logicalVolumes(from: Self.volumes)[3]
        #expect(snapshot.isSnapshot && !snapshot.isThin && snapshot.isInvalid)
        #expect(snapshot.dataPercent == 100)
        #expect(snapshot.reference?.description == "vgt/tsnap")
    }

    @Test func aVolumeGroupsFreeSpaceAndExtentSizeAreRead() throws {
        let output = """
              {
                  "report": [
                      {
                          "vg": [
                              {"vg_name":"vgt", "vg_free":"859832320", "vg_extent_size":"4194304"}
                          ]
                      }
                  ]
              }
            """
        let groups = try LVMReport.volumeGroups(from: output)
        #expect(groups == [VolumeGroup(name: "vgt", freeBytes: 859_832_320, extentSizeBytes: 4 << 20)])
    }

    @Test(arguments: ["", "  Volume group \"x\" not found", "{\"report\": [{\"lv\": [{\"lv_name\": 1}]}]}"])
    func outputWithoutAReadableReportIsAnError(_ output: String) {
        #expect(throws: LVMReport.ReportError.self) { try LVMReport.logicalVolumes(from: output) }
    }

    @Test func aSizeThatIsNoNumberOfBytesIsAnError() {
        let output = #"{"report": [{"vg": [{"vg_name":"v", "vg_free":"4.00m", "vg_extent_size":"4194304"}]}]}"#
        #expect(throws: LVMReport.ReportError.self) { try LVMReport.volumeGroups(from: output) }
    }
}
