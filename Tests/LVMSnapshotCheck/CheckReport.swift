/// What the scenarios observed inside the kernel VM; LVMTests decodes it and asserts.
struct CheckReport: Codable {
    var roundTrip = RoundTrip()
    var rollback = Rollback()
    var refusals = Refusals()
    var overflow = Overflow()
    /// Volumes whose names carry the backup snapshot marker once every scenario is done.
    var leftoverSnapshots: [String] = []
    /// Every volume of the test volume group at the end, `name attr`.
    var finalVolumes: [String] = []
}

/// A thick and a thin volume snapshotted together, read, overwritten, checked and released.
struct RoundTrip: Codable {
    var error: String?
    var sources: [String: Source] = [:]
    /// Whether each snapshot device read back the content the origin had when it was taken.
    var matchedOriginAtSnapshot: [String: Bool] = [:]
    /// Whether each snapshot still read the old content after its origin was overwritten.
    var keptOldContentAfterOverwrite: [String: Bool] = [:]
    var healthAfterOverwrite: [String: String] = [:]
    var snapshotsGoneAfterRelease = false
    var secondReleaseSucceeded = false
    /// Whether each origin holds what was written to it after the snapshot.
    var originsHoldNewContent: [String: Bool] = [:]

    struct Source: Codable {
        var path: String
        var format: String
        var artifact: String
        var sizeBytes: UInt64?
        var isThin: Bool
        var isSnapshot: Bool
    }
}

/// A snapshot call whose second volume fails must leave nothing behind.
struct Rollback: Codable {
    var error: String?
    var markedVolumesAfterFailure: [String] = []
    /// The error of releasing a volume that merely carries the marker in its name.
    var releaseOfPlainVolumeError: String?
    var plainVolumeKept = false
}

/// Checks that must fail before anything is created, with their messages.
struct Refusals: Codable {
    var noRoom: String?
    var noRoomCreatedNothing = false
    var notALogicalVolume: String?
    var fileDisk: String?
}

/// A deliberately small thick snapshot whose origin is overwritten beyond its size.
struct Overflow: Codable {
    var error: String?
    var sizeBytes: UInt64?
    var healthBefore: String?
    var healthAfter: String?
    var attributesAfter: String?
    var goneAfterRelease = false
    var originHoldsNewContent = false
}
