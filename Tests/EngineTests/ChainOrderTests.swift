import Testing

@testable import Engine

@Suite struct ChainOrderTests {
    @Test func descendantsComeBeforeTheirParents() {
        // full <- a <- b <- c, full <- d, other stands alone.
        let backups: [(id: String, parent: String?)] = [
            ("full", nil), ("a", "full"), ("b", "a"), ("c", "b"), ("d", "full"), ("other", nil),
        ]
        let order = ChainOrder.descendants(of: "full", in: backups)
        #expect(Set(order) == ["a", "b", "c", "d"])
        for (child, parent) in [("c", "b"), ("b", "a")] {
            #expect(order.firstIndex(of: child)! < order.firstIndex(of: parent)!)
        }
        #expect(ChainOrder.descendants(of: "b", in: backups) == ["c"])
        #expect(ChainOrder.descendants(of: "other", in: backups).isEmpty)
    }

    @Test func aCycleEndsTheWalk() {
        let backups: [(id: String, parent: String?)] = [("x", "y"), ("y", "x")]
        #expect(ChainOrder.descendants(of: "x", in: backups) == ["y"])
    }

    @Test func aBackupsDepthCountsItsAncestorsThere() {
        let backups: [(id: String, parent: String?)] = [
            ("full", nil), ("a", "full"), ("b", "a"), ("orphan", "gone"), ("x", "y"), ("y", "x"),
        ]
        #expect(ChainOrder.depth(of: "full", in: backups) == 0)
        #expect(ChainOrder.depth(of: "b", in: backups) == 2)
        #expect(ChainOrder.depth(of: "orphan", in: backups) == 0, "a missing parent starts the chain")
        #expect(ChainOrder.depth(of: "x", in: backups) == 1, "a cycle ends the walk")
    }
}
