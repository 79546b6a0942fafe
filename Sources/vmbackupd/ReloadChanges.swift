import Engine

/// What a reload changed, in words for the log: the names of the settings whose values differ,
/// e.g. `["policies", "max_concurrent_jobs"]`; empty when the file says what the daemon had.
enum ReloadChanges {
    static func between(_ before: BackupEngine.Settings, _ after: BackupEngine.Settings) -> [String] {
        var changed: [String] = []
        if before.vmRules != after.vmRules { changed.append("vms") }
        if before.policies != after.policies { changed.append("policies") }
        if before.defaultQuiesce != after.defaultQuiesce { changed.append("quiesce") }
        if before.maxConcurrentJobs != after.maxConcurrentJobs { changed.append("max_concurrent_jobs") }
        if before.targets != after.targets { changed.append("targets") }
        if before.taskHistoryDays != after.taskHistoryDays { changed.append("task_history_days") }
        return changed
    }
}
