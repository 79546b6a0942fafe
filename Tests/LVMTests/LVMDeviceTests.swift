import Foundation
import Testing

@testable import LVM

struct LVMDeviceTests {
    @Test func aMapperNameSplitsIntoVolumeGroupAndVolume() throws {
        let parts = try #require(LVMDevice.splitDeviceMapperName("vg0-web"))
        #expect(parts == ("vg0", "web", ""))
    }

    @Test func doubledDashesAreDashesInsideANameAndALayerFollows() throws {
        let thin = try #require(LVMDevice.splitDeviceMapperName("vmbt--lvm-thin"))
        #expect(thin == ("vmbt-lvm", "thin", ""))
        let layer = try #require(LVMDevice.splitDeviceMapperName("vm--disks-web--1-real"))
        #expect(layer == ("vm-disks", "web-1", "real"))
    }

    @Test func aNameWithoutVolumePartIsNoLogicalVolume() {
        #expect(LVMDevice.splitDeviceMapperName("cryptroot") == nil)
    }

    @Test func deviceNumbersAreSplitAsGlibcDoes() {
        #expect(LVMDevice.deviceNumbers(0xFD03) == (253, 3))
        #expect(LVMDevice.deviceNumbers(0x1000_0F00_0105) == (0x1001, 0xF005))
    }

    @Test func aFileIsNoLogicalVolume() {
        let error = #expect(throws: LVMDeviceError.self) {
            try LVMDevice.logicalVolume(atDevicePath: "/etc/hostname")
        }
        #expect(error?.reason == "is not a block device")
    }

    @Test func aMissingPathIsReportedAsSuch() {
        let error = #expect(throws: LVMDeviceError.self) {
            try LVMDevice.logicalVolume(atDevicePath: "/dev/vmbt-no-such-vg/no-such-lv")
        }
        #expect(error?.reason.hasPrefix("cannot be examined") == true)
    }
}
