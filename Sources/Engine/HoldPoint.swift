import Foundation
import Logging

/// Places where a job waits for as long as a file exists, when `VMBACKUPD_HOLD_AT` names the
/// place (as ``CrashPoint`` names them) and `VMBACKUPD_HOLD_WHILE` the file, so that tests can
/// act while a backup is at a known step: start a second daemon on the same state directory or
/// target, say. The wait ends when the file is gone, the job is cancelled, or after ten
/// minutes. Unset, nothing happens.
enum HoldPoint {
    private static let requested: (point: CrashPoint, file: String)? = {
        let environment = ProcessInfo.processInfo.environment
        guard let point = environment["VMBACKUPD_HOLD_AT"].flatMap(CrashPoint.init(rawValue:)),
            let file = environment["VMBACKUPD_HOLD_WHILE"], !file.isEmpty
        else { return nil }
        return (point, file)
    }()

    static func wait(at point: CrashPoint, logger: Logger) async {
        guard let requested, requested.point == point else { return }
        logger.notice("VMBACKUPD_HOLD_AT=\(point.rawValue): holding the job while \(requested.file) exists")
        for _ in 0..<6000 where FileManager.default.fileExists(atPath: requested.file) {
            guard (try? await Task.sleep(for: .milliseconds(100))) != nil else { return }
        }
        logger.notice("VMBACKUPD_HOLD_AT=\(point.rawValue): going on")
    }
}
