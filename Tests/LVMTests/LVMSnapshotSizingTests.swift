import Testing

@testable import Snapshots

struct LVMSnapshotSizingTests {
    static let extent: UInt64 = 4 << 20
    let policy = LVMSnapshotPolicy()

    @Test func aSnapshotIsAFifthOfItsOriginRoundedUpToAnExtent() {
        // 20% of 1 GiB is 204.8 MiB, so 52 extents.
        #expect(policy.wantedBytes(originBytes: 1 << 30, extentBytes: Self.extent) == 208 << 20)
    }

    @Test func aSnapshotIsNeverSmallerThanTheMinimum() {
        #expect(policy.wantedBytes(originBytes: 64 << 20, extentBytes: Self.extent) == 32 << 20)
    }

    @Test func aSnapshotIsNeverLargerThanItsOriginCanFill() {
        // 8 MiB of origin plus its exception table fits in three extents.
        #expect(policy.wantedBytes(originBytes: 8 << 20, extentBytes: Self.extent) == 12 << 20)
        let whole = LVMSnapshotPolicy(fraction: 5)
        #expect(whole.wantedBytes(originBytes: 1 << 30, extentBytes: Self.extent) == (1 << 30) + (8 << 20))
    }

    @Test func theLeastASnapshotMayGetIsTheMinimum() {
        #expect(policy.smallestBytes(originBytes: 1 << 30, extentBytes: Self.extent) == 32 << 20)
    }

    @Test func snapshotsThatFitGetWhatTheyWant() {
        let requests = [request(208, 32), request(32, 32)]
        #expect(
            LVMSnapshotRoom.sizes(for: requests, freeBytes: 240 << 20, extentBytes: Self.extent) == [
                208 << 20, 32 << 20,
            ])
    }

    @Test func shortFreeSpaceIsSharedInProportionInWholeExtents() {
        let requests = [request(200, 32), request(100, 32)]
        // 150 MiB shared 2:1 is 100 and 50 MiB; 50 MiB rounds down to 48.
        #expect(
            LVMSnapshotRoom.sizes(for: requests, freeBytes: 150 << 20, extentBytes: Self.extent) == [
                100 << 20, 48 << 20,
            ])
    }

    @Test func aShareBelowTheMinimumMeansNoRoom() {
        let requests = [request(200, 32), request(32, 32)]
        #expect(LVMSnapshotRoom.sizes(for: requests, freeBytes: 100 << 20, extentBytes: Self.extent) == nil)
        #expect(LVMSnapshotRoom.sizes(for: [request(32, 32)], freeBytes: 4 << 20, extentBytes: Self.extent) == nil)
    }

    @Test(arguments: [(UInt64(512), "512 B"), (4 << 20, "4.0 MiB"), (1_610_612_736, "1.5 GiB")])
    func sizesAreWrittenForPeople(_ bytes: UInt64, _ text: String) {
        #expect(LVMSnapshot.describe(bytes: bytes) == text)
    }

    private func request(_ wantedMiB: UInt64, _ smallestMiB: UInt64) -> LVMSnapshotRoom.Request {
        LVMSnapshotRoom.Request(wantedBytes: wantedMiB << 20, smallestBytes: smallestMiB << 20)
    }
}
