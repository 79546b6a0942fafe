/// The JSON that LVMSnapshotCheck writes inside the kernel VM (Tests/LVMSnapshotCheck/CheckReport.swift).
struct LVMSnapshotCheckReport: Decodable {
    var roundTrip: RoundTrip
    var rollback: Rollback
    var refusals: Refusals
    var overflow: Overflow
    var leftoverSnapshots: [String]
    var finalVolumes: [String]

    struct RoundTrip: Decodable {
        var error: String?
        var sources: [String: Source]
        var matchedOriginAtSnapshot: [String: Bool]
        var keptOldContentAfterOverwrite: [String: Bool]
        var healthAfterOverwrite: [String: String]
        var snapshotsGoneAfterRelease: Bool
        var secondReleaseSucceeded: Bool
        var originsHoldNewContent: [String: Bool]
    }

    struct Source: Decodable {
        var path: String
        var format: String
        var artifact: String
        var sizeBytes: UInt64?
        var isThin: Bool
        var isSnapshot: Bool
    }

    struct Rollback: Decodable {
        var error: String?
        var markedVolumesAfterFailure: [String]
        var releaseOfPlainVolumeError: String?
        var plainVolumeKept: Bool
    }

    struct Refusals: Decodable {
        var noRoom: String?
        var noRoomCreatedNothing: Bool
        var notALogicalVolume: String?
        var fileDisk: String?
    }

    struct Overflow: Decodable {
        var error: String?
        var sizeBytes: UInt64?
        var healthBefore: String?
        var healthAfter: String?
        var attributesAfter: String?
        var goneAfterRelease: Bool
        var originHoldsNewContent: Bool
    }
}
