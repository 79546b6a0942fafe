import Testing

@testable import vmbackup

@Suite("Which socket the CLI uses")
struct SocketPathTests {
    @Test func theOptionWins() {
        let path = ConnectionOptions.socketPath(option: "/tmp/a.sock", environment: ["VMBACKUP_SOCKET": "/tmp/b.sock"])
        #expect(path == "/tmp/a.sock")
    }

    @Test func theVariableComesNext() {
        #expect(
            ConnectionOptions.socketPath(option: nil, environment: ["VMBACKUP_SOCKET": "/tmp/b.sock"]) == "/tmp/b.sock")
    }

    @Test func anEmptyVariableIsUnset() {
        #expect(
            ConnectionOptions.socketPath(option: nil, environment: ["VMBACKUP_SOCKET": ""])
                == VMBackupCommand.defaultSocketPath)
        #expect(ConnectionOptions.socketPath(option: nil, environment: [:]) == VMBackupCommand.defaultSocketPath)
    }

    @Test func completionReadsTheSocketFromTheCommandLine() {
        #expect(ShellCompletion.socketOption(words: ["vmbackup", "--socket", "/tmp/s", "show", ""]) == "/tmp/s")
        #expect(ShellCompletion.socketOption(words: ["vmbackup", "show", "--socket=/tmp/t", ""]) == "/tmp/t")
        #expect(ShellCompletion.socketOption(words: ["vmbackup", "show", ""]) == nil)
    }

    @Test func completionFindsTheVMBeforeTheBackup() {
        let words = ["vmbackup", "--socket", "/tmp/s", "restore", "web01", "--to", "/srv", "la"]
        #expect(ShellCompletion.vmArgument(words: words, index: 7) == "web01")
        #expect(ShellCompletion.vmArgument(words: ["vmbackup", "show", ""], index: 2) == nil)
    }
}
