import Catalog
import Foundation
import Testing

@Suite struct BackupTreeNodeTests {
    private func backup(_ hours: Double, parent: String? = nil) -> CatalogBackup {
        let stored = Fixture.stored(hours: hours, parentID: parent)
        return CatalogBackup(
            vmUUID: Fixture.vm, id: stored.id, vmName: "web01", created: stored.manifest.created, parent: parent,
            consistency: .crash, location: stored.location, target: "default", manifest: stored.manifest)
    }

    @Test func everyLevelIsOrderedOldestFirstWhateverTheInputOrder() {
        let full = backup(0)
        let later = backup(2, parent: full.id)
        let earlier = backup(1, parent: full.id)
        let secondFull = backup(3)

        let forest = BackupTreeNode.forest(of: [secondFull, later, full, earlier])

        #expect(forest.map(\.backup.id) == [full.id, secondFull.id])
        #expect(forest[0].children.map(\.backup.id) == [earlier.id, later.id])
    }

    @Test func aParentOutsideTheListMakesARootFlaggedMissingParent() {
        let full = backup(0)
        let child = backup(1, parent: full.id)

        let forest = BackupTreeNode.forest(of: [child])

        #expect(forest.map(\.backup.id) == [child.id])
        #expect(forest.map(\.missingParent) == [true])
    }

    @Test func parentsFormingALoopStillShowEveryBackupOnce() {
        var first = backup(0)
        let second = backup(1, parent: first.id)
        first.parent = second.id
        var alone = backup(2)
        alone.parent = alone.id

        let forest = BackupTreeNode.forest(of: [alone, second, first])

        #expect(forest.map(\.backup.id) == [first.id, alone.id])
        #expect(forest[0].children.map(\.backup.id) == [second.id])
        #expect(forest[0].children[0].children.isEmpty)
        #expect(forest.map(\.count).reduce(0, +) == 3)
    }
}
