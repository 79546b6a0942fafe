import APIModel

/// The VMs as `vmbackup vms` prints them, one row each:
///
/// ```
/// VM     UUID                                  DEFINED  BACKUPS  LATEST                 CREATED              STORED   LAST TASK
/// db01   0f3c7d2e-5b1a-4e8f-9c6d-7a2b1e0d4c3f  no       1        20261122T013000Z-3f9a  2026-11-22 01:30:00  1.0 MiB  succeeded
/// new01  5b0e3a43-0c1d-4f44-8f6a-3c2b9e8d7a61  yes      0        -                      -                    0 B      failed (agent_unavailable)
/// ```
///
/// LAST TASK is how the VM's last backup task ended, with the error's code when it failed; `-`
/// when the daemon knows of none.
enum VMTable {
    static let header = ["VM", "UUID", "DEFINED", "BACKUPS", "LATEST", "CREATED", "STORED", "LAST TASK"]

    static func render(_ vms: [VMSummary]) -> String {
        TextTable.render(header: header, rows: vms.map(row))
    }

    private static func row(_ vm: VMSummary) -> [String] {
        [
            vm.vmName,
            vm.vmUUID,
            vm.defined ? "yes" : "no",
            String(vm.backupCount),
            vm.latestBackupID ?? "-",
            vm.latestBackupCreated.map(DisplayDate.format) ?? "-",
            ByteCount.format(vm.storedBytes),
            lastTask(vm.lastBackupTask),
        ]
    }

    static func lastTask(_ result: TaskResult?) -> String {
        guard let result else { return "-" }
        return result.state.rawValue + (result.error.map { " (\($0.code.rawValue))" } ?? "")
    }
}
