import ControlAPI
import Foundation
import Logging
import Testing

@Suite("The socket file")
struct SocketFileTests {
    @Test func theSocketIsReadableAndWritableByOwnerAndGroupOnly() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { _ in
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
            }
        }
    }

    @Test func aMissingParentDirectoryIsCreated() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/run/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { client in
                #expect(try await client.send("GET", "/v1/status").status == 200)
            }
        }
    }

    @Test func aStaleSocketFileIsReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { _ in }
            #expect(FileManager.default.fileExists(atPath: path))  // left behind, as by a daemon that died
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { client in
                #expect(try await client.send("GET", "/v1/status").status == 200)
            }
        }
    }

    @Test func itRefusesASocketAnotherDaemonAnswersOn() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { client in
                let second = ControlServer(
                    socketPath: path, controller: FakeBackupController(), logger: Logger(label: "test.controlapi"))
                #expect(throws: ControlServerError.self) { _ = try second.makeApplication() }
                #expect(try await client.send("GET", "/v1/status").status == 200)
            }
        }
    }

    @Test func itRefusesToReplaceSomethingThatIsNotASocket() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
            let server = ControlServer(
                socketPath: path, controller: FakeBackupController(), logger: Logger(label: "test.controlapi"))
            #expect(throws: ControlServerError.self) { _ = try server.makeApplication() }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        }
    }
}
