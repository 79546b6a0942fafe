import Testing

@testable import Engine

/// The pure parts of merging: reading a backing file as a backup's image, and one delete or
/// prune per VM at a time.
@Suite("ChainLinkTests")
struct ChainLinkTests {
    private static let ids: Set<String> = ["20270115T080000Z-0a0b", "20270115T090000Z-0c0d"]

    @Test func aBackingFileNamesABackupByRelativeOrAbsolutePath() {
        let relative = StoredChains.backup(named: "../20270115T080000Z-0a0b/vda.qcow2", among: Self.ids)
        #expect(relative?.id == "20270115T080000Z-0a0b")
        #expect(relative?.file == "vda.qcow2")
        let absolute = StoredChains.backup(named: "/srv/backups/uuid/20270115T090000Z-0c0d/vdb.qcow2", among: Self.ids)
        #expect(absolute?.id == "20270115T090000Z-0c0d")
        #expect(absolute?.file == "vdb.qcow2")
    }

    @Test(arguments: [
        "vda-base.qcow2", "../20270115T070000Z-ffff/vda.qcow2", "../../20270115T080000Z-0a0b/vda.qcow2",
        "../20270115T080000Z-0a0b/", "/var/lib/libvirt/images/base.qcow2",
    ])
    func anyOtherBackingFileNamesNoBackup(backingFile: String) {
        #expect(StoredChains.backup(named: backingFile, among: Self.ids) == nil)
    }

    @Test func aChildRebasedBeforeACrashCountsAsTheChildOfBoth() {
        let chains = StoredChains(
            manifestParents: ["c": "p", "p": "g"],
            links: [
                .init(
                    backup: "c", disk: "vda", path: "/t/c/vda.qcow2", backingFile: "../g/vda.qcow2", parent: "g",
                    parentFile: "vda.qcow2", storedBytes: 1)
            ])
        #expect(chains.children(of: "p") == ["c"])
        #expect(chains.children(of: "g") == ["c", "p"])
        #expect(chains.parent(of: "c") == "g", "the image tells the truth")
        #expect(chains.descendants(of: "g") == ["c", "p"], "the child before its other parent")
    }

    @Test func oneDeleteOrPruneAtATimePerVM() throws {
        let edits = ChainEdits()
        try edits.begin(vmUUID: "a", vmName: "web01")
        try edits.begin(vmUUID: "b", vmName: "db01")
        #expect(throws: EngineError.self) { try edits.begin(vmUUID: "a", vmName: "web01") }
        edits.end(vmUUID: "a")
        try edits.begin(vmUUID: "a", vmName: "web01")
    }
}
