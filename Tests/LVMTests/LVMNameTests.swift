import LVM
import Testing

struct LVMNameTests {
    @Test(arguments: ["vg0", "vm-disks", "web_1.root+x", "thick-vmbackup-20261122T013000Z-3f9a"])
    func namesOfLVMsCharactersAreAccepted(_ name: String) throws {
        #expect(try LVMName(name).rawValue == name)
    }

    @Test(arguments: [
        "", "a b", "vg/lv", "-f", ".", "..", "x;rm", "lv\"", "näme", "a\tb", String(repeating: "a", count: 128),
    ])
    func namesThatCouldChangeTheCommandLineAreRefused(_ name: String) {
        #expect(throws: LVMNameError.self) { try LVMName(name) }
    }

    @Test func aReferenceIsParsedFromVolumeGroupSlashVolume() throws {
        let reference = try LogicalVolumeReference(parsing: "vg0/web")
        #expect(reference.volumeGroup.rawValue == "vg0")
        #expect(reference.name.rawValue == "web")
        #expect(reference.description == "vg0/web")
        #expect(reference.devicePath == "/dev/vg0/web")
    }

    @Test(arguments: ["vg0", "vg0/web/x", "/web", "vg0/", "vg0/we b"])
    func malformedReferencesAreRefused(_ text: String) {
        #expect(throws: LVMNameError.self) { try LogicalVolumeReference(parsing: text) }
    }
}
