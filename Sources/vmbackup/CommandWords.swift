/// What the CLI reads from its raw arguments before ArgumentParser does: whether failures are
/// wanted as JSON, and a command name nobody knows (a typo) with the one meant.
enum CommandWords {
    /// The root's options that take a value: the word after them is not a command.
    static let rootOptionsWithValue: Set<String> = ["--socket"]

    /// Whether `--json` is among the options (before a `--`), so that even a parsing failure is
    /// reported as JSON.
    static func asksForJSON(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }

    /// The failure for a first word that names no command: `unknown command 'bakup'; did you mean
    /// 'backup'?`, with the list of commands as its hint; `nil` when the first word is a command, or there is
    /// none, or the shell asks for completions.
    static func unknownCommand(in arguments: [String], commands: [String]) -> CLIFailure? {
        guard let word = firstWord(arguments), !commands.contains(word) else { return nil }
        var message = "unknown command '\(word)'"
        if let suggestion = suggestion(for: word, among: commands) {
            message += "; did you mean '\(suggestion)'?"
        }
        var failure = CLIFailure(message, status: .usage, code: "unknown_command")
        failure.hint = "commands: " + commands.joined(separator: ", ") + "\nSee 'vmbackup --help'."
        return failure
    }

    /// The first word that is not an option of the root command or its value.
    static func firstWord(_ arguments: [String]) -> String? {
        if arguments.contains(where: { $0.hasPrefix("---") || $0.hasPrefix("--generate-completion-script") }) {
            return nil
        }
        var words = arguments[...]
        while let word = words.popFirst() {
            if word == "--" { return nil }
            if rootOptionsWithValue.contains(word) {
                _ = words.popFirst()
                continue
            }
            if word.hasPrefix("-") { continue }
            return word
        }
        return nil
    }

    /// The command closest to `word` by edit distance, when it is close enough to be a typo: at
    /// most 2 edits (1 for words of 4 letters or less), or `word` begins it.
    static func suggestion(for word: String, among commands: [String]) -> String? {
        let scored = commands.map { (command: $0, distance: editDistance(word, $0)) }
        let limit = word.count <= 4 ? 1 : 2
        if let best = scored.filter({ $0.distance <= limit }).min(by: { $0.distance < $1.distance }) {
            return best.command
        }
        return word.count >= 2 ? commands.first { $0.hasPrefix(word) } : nil
    }

    /// The Levenshtein distance: insertions, deletions and substitutions, each 1.
    static func editDistance(_ first: String, _ second: String) -> Int {
        let first = Array(first)
        let second = Array(second)
        guard !first.isEmpty else { return second.count }
        guard !second.isEmpty else { return first.count }
        var previous = Array(0...second.count)
        for (row, character) in first.enumerated() {
            var current = [row + 1] + Array(repeating: 0, count: second.count)
            for column in 1...second.count {
                let substitution = previous[column - 1] + (character == second[column - 1] ? 0 : 1)
                current[column] = min(substitution, previous[column] + 1, current[column - 1] + 1)
            }
            previous = current
        }
        return previous[second.count]
    }
}
