import Foundation
import Logging

/// The record of a write throttle beside its overlay, `<overlay>.throttle`: written before the
/// throttle is set, removed once the disk's limits are back, and acted on by any later release of
/// the overlay, crash recovery's included.
extension Qcow2Overlay {
    /// Where the record of a throttle set while committing `overlay` lives.
    public static func throttleRecordPath(forOverlay overlay: String) -> String {
        "\(overlay).throttle"
    }

    func writeThrottleRecord(_ record: ThrottleRecord, _ place: OverlayPlace) throws {
        let path = Self.throttleRecordPath(forOverlay: place.overlay)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(record).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw failure(
                .commit, disks: [place.target], message: "could not record the disk's limits in \(path)", cause: error)
        }
    }

    func removeThrottleRecord(_ place: OverlayPlace) throws {
        let path = Self.throttleRecordPath(forOverlay: place.overlay)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    /// Acts on a record an earlier release left (the daemon died while the guest was throttled, or
    /// the limits could not be set back): on a running domain the limits are set back; a domain
    /// that is not running lost its live limits with it. Either way the record goes.
    func settleThrottleRecord(_ place: OverlayPlace, domainIsActive: Bool) async throws {
        let path = Self.throttleRecordPath(forOverlay: place.overlay)
        guard FileManager.default.fileExists(atPath: path) else { return }
        let record: ThrottleRecord
        do {
            record = try JSONDecoder().decode(ThrottleRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw failure(
                .commit, disks: [place.target],
                message: "\(path), the record of a write limit set for a pivot, cannot be read; check the disk's "
                    + "limits (virsh blkdeviotune \(domain.name) \(place.target)), then remove it",
                cause: error)
        }
        let metadata: Logger.Metadata = [
            "vm.name": "\(domain.name)", "disk.target": "\(place.target)", "throttle.record": "\(path)",
        ]
        guard domainIsActive else {
            logger.notice(
                "the domain is not running, so the write limit an earlier pivot set is gone", metadata: metadata)
            try removeThrottleRecord(place)
            return
        }
        logger.notice("setting back the write limits an interrupted pivot left on the disk", metadata: metadata)
        if let problem = await restoreWrites(record, place) { throw problem }
    }
}
