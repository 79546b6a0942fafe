import APIModel
import Catalog
import Foundation
import Targets
import Testing

@Suite struct BackupListingTests {
    /// full ─┬─ first ── second
    ///       └─ sibling
    /// orphan (its parent was never recorded)
    struct Chain {
        let full = Fixture.stored(hours: 0, name: "weekly")
        let first: StoredBackup
        let second: StoredBackup
        let sibling: StoredBackup
        let orphan = Fixture.stored(hours: 5, parentID: "20261101T000000Z-dead")

        init() {
            first = Fixture.stored(hours: 1, parent: full)
            second = Fixture.stored(hours: 2, parent: first)
            sibling = Fixture.stored(hours: 3, parent: full)
        }

        /// A catalog holding the chain, recorded in no particular order.
        func catalog() async throws -> BackupCatalog {
            let catalog = try BackupCatalog.inMemory()
            for stored in [second, orphan, full, sibling, first] {
                try await catalog.record(stored, target: "default")
            }
            return catalog
        }
    }

    @Test func backupsAreListedOldestFirstWithWhatTheManifestSays() async throws {
        let chain = Chain()
        let backups = try await chain.catalog().backups(vmUUID: Fixture.vm)
        #expect(backups.map(\.id) == [chain.full, chain.first, chain.second, chain.sibling, chain.orphan].map(\.id))
        let full = try #require(backups.first)
        #expect(full.manifest == chain.full.manifest)
        #expect(full.vmName == "web01")
        #expect(full.name == "weekly")
        #expect(full.created == chain.full.manifest.created)
        #expect(full.consistency == .filesystem)
        #expect(full.location == chain.full.location)
        #expect(full.target == "default")
        #expect(full.disks.map(\.target) == ["vda", "sda"])
        #expect(full.description == nil)
        #expect(!full.isProtected)
        #expect(backups[1].parent == chain.full.id)
    }

    @Test func rootsAreFullBackupsAndIncrementalsWithAMissingParent() async throws {
        let chain = Chain()
        let roots = try await chain.catalog().roots(vmUUID: Fixture.vm)
        #expect(roots.map(\.id) == [chain.full.id, chain.orphan.id])
        #expect(roots.map(\.missingParent) == [false, true])
    }

    @Test func childrenAreTheIncrementalsOfOneBackupOldestFirst() async throws {
        let chain = Chain()
        let catalog = try await chain.catalog()
        #expect(
            try await catalog.children(vmUUID: Fixture.vm, of: chain.full.id).map(\.id)
                == [chain.first, chain.sibling].map(\.id))
        #expect(try await catalog.children(vmUUID: Fixture.vm, of: chain.first.id).map(\.id) == [chain.second.id])
        #expect(try await catalog.children(vmUUID: Fixture.vm, of: chain.second.id).isEmpty)
    }

    @Test func theTreeNestsThreeGenerationsAndShowsTheOrphanAsARoot() async throws {
        let chain = Chain()
        let tree = try await chain.catalog().tree(vmUUID: Fixture.vm)
        #expect(tree.map(\.backup.id) == [chain.full.id, chain.orphan.id])
        #expect(tree.map(\.missingParent) == [false, true])
        let full = tree[0]
        #expect(full.children.map(\.backup.id) == [chain.first.id, chain.sibling.id])
        #expect(full.children[0].children.map(\.backup.id) == [chain.second.id])
        #expect(full.children[0].children[0].children.isEmpty)
        #expect(full.children[1].children.isEmpty)
        #expect(full.count == 4)
        #expect(tree[1].children.isEmpty)
    }

    @Test func oneBackupIsFoundByVMAndIdWithItsMissingParentFlag() async throws {
        let chain = Chain()
        let catalog = try await chain.catalog()
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: chain.second.id)?.parent == chain.first.id)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: chain.second.id)?.missingParent == false)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: chain.orphan.id)?.missingParent == true)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: "20300101T000000Z-0000") == nil)
        #expect(try await catalog.backup(vmUUID: Fixture.otherVM, id: chain.full.id) == nil)
    }

    @Test func theLastBackupIsTheNewestByCreationTime() async throws {
        let chain = Chain()
        let catalog = try await chain.catalog()
        #expect(try await catalog.lastBackup(vmUUID: Fixture.vm)?.id == chain.orphan.id)
        #expect(try await catalog.lastBackup(vmUUID: Fixture.otherVM) == nil)
    }

    @Test func eachVMIsListedOnceAndSeesOnlyItsOwnBackups() async throws {
        let catalog = try BackupCatalog.inMemory()
        let mine = Fixture.stored(hours: 0)
        var theirs = Fixture.stored(hours: 0, vm: Fixture.otherVM, vmName: "db01")
        // The same id in two VMs names two different backups.
        theirs.manifest.backupID = mine.id
        try await catalog.record(mine, target: "default")
        try await catalog.record(theirs, target: "default")
        try await catalog.record(Fixture.stored(hours: 1, parent: mine), target: "default")

        #expect(try await catalog.vmUUIDs() == [Fixture.otherVM, Fixture.vm].sorted())
        #expect(try await catalog.backups(vmUUID: Fixture.otherVM).map(\.vmName) == ["db01"])
        #expect(try await catalog.roots(vmUUID: Fixture.otherVM).map(\.missingParent) == [false])
        #expect(try await catalog.children(vmUUID: Fixture.otherVM, of: mine.id).isEmpty)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).count == 2)
    }

    @Test func aVMIsFoundByTheNameInItsNewestBackup() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.record(Fixture.stored(hours: 0, vm: Fixture.otherVM, vmName: "web01"), target: "default")
        // The first web01 was deleted; a new VM took its name.
        try await catalog.record(Fixture.stored(hours: 9, vm: Fixture.vm, vmName: "web01"), target: "default")
        try await catalog.record(Fixture.stored(hours: 1, vm: Fixture.otherVM, vmName: "db01"), target: "default")

        #expect(try await catalog.vmUUID(named: "web01") == Fixture.vm)
        #expect(try await catalog.vmUUID(named: "db01") == Fixture.otherVM)
        #expect(try await catalog.vmUUID(named: "mail01") == nil)
    }

    @Test func anEmptyCatalogListsNothing() async throws {
        let catalog = try BackupCatalog.inMemory()
        #expect(try await catalog.backups(vmUUID: Fixture.vm).isEmpty)
        #expect(try await catalog.roots(vmUUID: Fixture.vm).isEmpty)
        #expect(try await catalog.tree(vmUUID: Fixture.vm).isEmpty)
        #expect(try await catalog.vmUUIDs().isEmpty)
    }

    @Test func theSummaryCarriesWhatTheAPIListsOfABackup() async throws {
        let catalog = try BackupCatalog.inMemory()
        let full = Fixture.stored(hours: 0, name: "before upgrade")
        let backup = try await catalog.record(full, target: "offsite")
        var expected = full.summary()
        expected.target = "offsite"
        #expect(backup.summary() == expected)
    }
}
