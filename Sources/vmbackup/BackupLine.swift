import APIModel

/// A backup on one line, as the commands that change it print it:
/// `20261122T013000Z-3f9a  2026-11-22 01:30:00  name "before upgrade"  no description  protected`.
struct BackupLine {
    var backup: BackupSummary

    func rendered() -> String {
        [
            backup.id,
            DisplayDate.format(backup.created),
            backup.name.map { "name \"\($0)\"" } ?? "no name",
            backup.description.map { "description \"\(BackupReport.oneLine($0))\"" } ?? "no description",
            backup.protected ? "protected" : "not protected",
        ].joined(separator: "  ")
    }
}
