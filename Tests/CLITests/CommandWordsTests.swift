import Testing

@testable import vmbackup

@Suite("A mistyped command")
struct CommandWordsTests {
    let commands = VMBackupCommand.commandNames

    @Test func aTypoSuggestsTheCommandMeant() throws {
        let failure = try #require(CommandWords.unknownCommand(in: ["bakup", "web01"], commands: commands))
        #expect(failure.message == "unknown command 'bakup'; did you mean 'backup'?")
        #expect(failure.status == .usage)
        #expect(failure.code == "unknown_command")
    }

    @Test func theMessageListsTheCommands() throws {
        let failure = try #require(CommandWords.unknownCommand(in: ["xyzzy"], commands: commands))
        #expect(failure.message == "unknown command 'xyzzy'")
        #expect(failure.hint?.hasPrefix("commands: backup, restore, ") == true)
        #expect(failure.hint?.contains(", tasks, ") == true)
    }

    @Test func suggestionsFollowEditDistance() {
        #expect(CommandWords.suggestion(for: "stauts", among: commands) == "status")
        #expect(CommandWords.suggestion(for: "tsks", among: commands) == "tasks")
        #expect(CommandWords.suggestion(for: "restor", among: commands) == "restore")
        #expect(CommandWords.suggestion(for: "stat", among: commands) == "status")
        #expect(CommandWords.suggestion(for: "zzzzzz", among: commands) == nil)
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(CommandWords.editDistance("bakup", "backup") == 1)
        #expect(CommandWords.editDistance("kitten", "sitting") == 3)
        #expect(CommandWords.editDistance("", "vms") == 3)
        #expect(CommandWords.editDistance("list", "list") == 0)
    }

    @Test func knownCommandsOptionsAndCompletionRequestsPass() {
        for arguments in [
            ["backup", "web01"], ["--socket", "bakup", "status"], ["--socket=/tmp/s", "list", "x"], ["--version"],
            ["help", "backup"], [], ["--generate-completion-script", "bash"], ["---completion", "show", "--", "vm"],
        ] {
            #expect(CommandWords.unknownCommand(in: arguments, commands: commands) == nil, "\(arguments)")
        }
    }

    @Test func jsonIsAskedBeforeADoubleDash() {
        #expect(CommandWords.asksForJSON(["show", "web01", "latest", "--json"]))
        #expect(!CommandWords.asksForJSON(["describe", "web01", "latest", "--", "--json"]))
        #expect(!CommandWords.asksForJSON(["status"]))
    }
}
