import APIModel
import ArgumentParser
import Foundation
import NIOCore

/// Completions the shell asks vmbackup for (`CompletionKind.custom`): VM names from
/// `GET /v1/vms`, backup ids and names from `GET /v1/vms/{vm}/backups`, task ids from
/// `GET /v1/tasks`. Quiet and quick when vmbackupd is not running: no completions, no message.
enum ShellCompletion {
    /// How long a completion waits for vmbackupd.
    static let timeout: TimeAmount = .seconds(2)

    /// The options of every command that take a value: the word after them is not an argument.
    static let optionsWithValue: Set<String> = [
        "--socket", "--disk", "--exclude", "--quiesce", "--method", "--name", "--level", "--target", "--to",
        "--format", "--as", "--start", "--vm", "--state", "--limit", "--keep-last", "--keep-hourly", "--keep-daily",
        "--keep-weekly", "--keep-monthly", "--keep-yearly",
    ]

    static func vmNames(words: [String], index: Int, prefix: String) async -> [String] {
        guard let vms = try? await client(words: words).vms().value else { return [] }
        return matching(Set(vms.map(\.vmName)).sorted(), prefix)
    }

    static func backupNames(words: [String], index: Int, prefix: String) async -> [String] {
        guard let vm = vmArgument(words: words, index: index),
            let backups = try? await client(words: words).listBackups(vm: vm).value
        else { return [] }
        let names = ["latest"] + backups.map(\.id) + Set(backups.compactMap(\.name)).sorted()
        return matching(names, prefix)
    }

    static func taskIDs(words: [String], index: Int, prefix: String) async -> [String] {
        guard let tasks = try? await client(words: words).tasks().value else { return [] }
        return matching(tasks.reversed().map(\.id), prefix)
    }

    private static func matching(_ candidates: [String], _ prefix: String) -> [String] {
        candidates.filter { $0.hasPrefix(prefix) }
    }

    /// The client for the socket the command line names, else `$VMBACKUP_SOCKET` or the default.
    static func client(words: [String]) -> DaemonClient {
        DaemonClient(
            socketPath: ConnectionOptions.socketPath(
                option: socketOption(words: words), environment: ProcessInfo.processInfo.environment),
            timeout: timeout)
    }

    /// The value of `--socket PATH` or `--socket=PATH` among the words.
    static func socketOption(words: [String]) -> String? {
        var found: String?
        for (position, word) in words.enumerated() {
            if word == "--socket", position + 1 < words.count {
                found = words[position + 1]
            } else if word.hasPrefix("--socket=") {
                found = String(word.dropFirst("--socket=".count))
            }
        }
        return found
    }

    /// The VM named before the word being completed: the first argument after the command's name.
    /// `words` is the command line as the shell split it, the program first.
    static func vmArgument(words: [String], index: Int) -> String? {
        var arguments: [String] = []
        var position = 1
        while position < min(index, words.count) {
            let word = words[position]
            position += 1
            if optionsWithValue.contains(word) {
                position += 1
            } else if !word.hasPrefix("-") {
                arguments.append(word)
            }
        }
        // The command's name first, then its VM.
        return arguments.count >= 2 ? arguments[1] : nil
    }
}

extension CompletionKind {
    /// The VMs vmbackupd knows.
    static var vmNames: CompletionKind { .custom(ShellCompletion.vmNames) }
    /// `latest`, and the ids and names of the backups of the VM given before.
    static var backupNames: CompletionKind { .custom(ShellCompletion.backupNames) }
    /// The ids of the recent tasks, newest first.
    static var taskIDs: CompletionKind { .custom(ShellCompletion.taskIDs) }
}
