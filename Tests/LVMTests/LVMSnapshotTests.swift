import Testing

/// LVMSnapshot against real LVM: thick and thin volumes, snapshot, read, overwrite, overflow,
/// release. Device-mapper exists only inside the kernel VM, so LVMSnapshotCheck runs the scenarios
/// there, in one boot for the whole suite, and these tests read what it observed.
@Suite(
    .serialized,
    .enabled(if: KernelVMCheck.isAvailable, "needs root, a Debian kernel in /boot, qemu-system-x86_64 and busybox"))
struct LVMSnapshotTests {
    static let thickSnapshot = "vmbt-lvm/thick-vmbackup-20261122T013000Z-3f9a"
    static let thinSnapshot = "vmbt-lvm/thin-vmbackup-20261122T013000Z-3f9a"

    func report() async throws -> LVMSnapshotCheckReport {
        try await KernelVMCheck.report.value
    }

    @Test func thickAndThinVolumesAreSnapshottedTogetherAndReadRawFromTheSnapshotDevice() async throws {
        let roundTrip = try await report().roundTrip
        #expect(roundTrip.error == nil)
        let thick = try #require(roundTrip.sources["vda"])
        let thin = try #require(roundTrip.sources["vdb"])
        #expect(thick.artifact == Self.thickSnapshot)
        #expect(thick.path == "/dev/\(Self.thickSnapshot)")
        #expect(thin.artifact == Self.thinSnapshot)
        #expect(thin.path == "/dev/\(Self.thinSnapshot)")
        #expect(thick.format == "raw" && thin.format == "raw")
        #expect(thick.isSnapshot && !thick.isThin)
        #expect(thin.isSnapshot && thin.isThin)
    }

    @Test func aThickSnapshotOfASmallVolumeGetsTheMinimumSize() async throws {
        let thick = try #require(try await report().roundTrip.sources["vda"])
        // 20% of 64 MiB is below the 32 MiB minimum.
        #expect(thick.sizeBytes == 32 << 20)
    }

    @Test func snapshotsShowTheOriginAsItWasWhenTakenEvenAfterItIsOverwritten() async throws {
        let roundTrip = try await report().roundTrip
        #expect(roundTrip.matchedOriginAtSnapshot == ["vda": true, "vdb": true])
        #expect(roundTrip.keptOldContentAfterOverwrite == ["vda": true, "vdb": true])
    }

    @Test func snapshotsWithinTheirSpaceAreHealthy() async throws {
        let roundTrip = try await report().roundTrip
        #expect(roundTrip.healthAfterOverwrite == ["vda": "healthy", "vdb": "healthy"])
    }

    @Test func releaseRemovesTheSnapshotsLeavesTheOriginsAndMayBeRepeated() async throws {
        let roundTrip = try await report().roundTrip
        #expect(roundTrip.snapshotsGoneAfterRelease)
        #expect(roundTrip.secondReleaseSucceeded)
        #expect(roundTrip.originsHoldNewContent == ["vda": true, "vdb": true])
    }

    @Test func aVolumeGroupWithoutRoomFailsBeforeAnythingIsCreatedNamingFreeSpaceAndNeed() async throws {
        let refusals = try await report().refusals
        let message = try #require(refusals.noRoom)
        #expect(message.contains("volume group vmbt-tight has 4.0 MiB free"))
        #expect(message.contains("vmbt-tight/full needs 32.0 MiB"))
        #expect(message.contains("disk vdc"))
        #expect(refusals.noRoomCreatedNothing)
    }

    @Test func aDiskThatIsNoLogicalVolumeIsRefused() async throws {
        let refusals = try await report().refusals
        #expect(refusals.notALogicalVolume?.contains("/dev/vdb is not a device-mapper device") == true)
        #expect(refusals.fileDisk?.contains("is a file") == true)
    }

    @Test func aFailedSnapshotRemovesTheSnapshotsAlreadyMade() async throws {
        let rollback = try await report().rollback
        #expect(rollback.error?.contains("already exists") == true)
        #expect(rollback.error?.contains("the snapshots made before it were removed") == true)
        // Only the plain volume that took the thin snapshot's name remains.
        #expect(rollback.markedVolumesAfterFailure == ["thin-vmbackup-rollback"])
    }

    @Test func releaseNeverRemovesAVolumeThatIsNotASnapshot() async throws {
        let rollback = try await report().rollback
        #expect(rollback.releaseOfPlainVolumeError?.contains("is not a snapshot made by a backup") == true)
        #expect(rollback.plainVolumeKept)
    }

    @Test func aSnapshotThatOverflowsIsReportedAsInvalid() async throws {
        let overflow = try await report().overflow
        #expect(overflow.error == nil)
        #expect(overflow.sizeBytes == 8 << 20)
        #expect(overflow.healthBefore == nil)
        let message = try #require(overflow.healthAfter)
        #expect(message.contains("vmbt-lvm/burst-vmbackup-20261122T020000Z-0f10 of disk vdf overflowed"))
        #expect(overflow.attributesAfter?.dropFirst(4).first == "I")
    }

    @Test func anOverflowedSnapshotIsReleasedAndTheOriginKeepsItsNewData() async throws {
        let overflow = try await report().overflow
        #expect(overflow.goneAfterRelease)
        #expect(overflow.originHoldsNewContent)
    }

    @Test func noSnapshotVolumeIsLeftBehind() async throws {
        let report = try await report()
        #expect(report.leftoverSnapshots.isEmpty)
        #expect(
            report.finalVolumes.sorted() == [
                "burst -wi-a-----", "pool twi-aotz--", "thick -wi-a-----", "thin Vwi-a-tz--",
            ])
    }
}
