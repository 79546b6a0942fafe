import Foundation
import LVM
import Logging

// Runs every LVMSnapshot scenario against real LVM on the empty disks /dev/vda (1 GiB or more) and
// /dev/vdb (64 MiB) of a throw-away kernel VM, and writes what it observed as JSON to the path given.
// It destroys whatever those disks hold: it refuses to run unless told the disks are scratch.

let arguments = CommandLine.arguments
guard arguments.count == 3, arguments[1] == "--scratch-disks" else {
    FileHandle.standardError.write(Data("usage: LVMSnapshotCheck --scratch-disks REPORT.json\n".utf8))
    exit(2)
}
let reportPath = arguments[2]
let runner = LVMCommandRunner()
var logger = Logger(label: "lvm-snapshot-check")
logger.logLevel = .info

do {
    try await CheckLayout.create(with: runner)
} catch {
    FileHandle.standardError.write(Data("could not lay out the test volumes: \(error)\n".utf8))
    exit(1)
}

var report = CheckReport()
await RoundTripScenario(runner: runner, logger: logger).run(into: &report.roundTrip)
await RefusalScenarios(runner: runner, logger: logger).checks(into: &report.refusals)
await RefusalScenarios(runner: runner, logger: logger).rollback(into: &report.rollback)
await OverflowScenario(runner: runner, logger: logger).run(into: &report.overflow)
let finalVolumes = (try? await CheckLayout.volumes(in: CheckLayout.group, runner: runner)) ?? []
report.finalVolumes = finalVolumes.map { "\($0.name) \($0.attributes)" }
report.leftoverSnapshots = finalVolumes.filter { $0.isSnapshot || $0.name.contains("-vmbackup-") }.map(\.name)

do {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(report).write(to: URL(fileURLWithPath: reportPath))
} catch {
    FileHandle.standardError.write(Data("could not write \(reportPath): \(error)\n".utf8))
    exit(1)
}
