import ControlAPI
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
                let status = try await client.send("GET", "/v1/status").status
                #expect(status == 200)
            }
        }
    }

    @Test func aStaleSocketFileIsReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try makeStaleSocket(at: path)
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { client in
                let status = try await client.send("GET", "/v1/status").status
                #expect(status == 200)
            }
        }
    }

    @Test func itRefusesASocketAnotherDaemonAnswersOn() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { client in
                let second = ControlServer(
                    socketPath: path, controller: FakeBackupController(), logger: .quietTestLogger)
                #expect(throws: ControlServerError.self) { _ = try second.makeApplication() }
                let status = try await client.send("GET", "/v1/status").status
                #expect(status == 200)
            }
        }
    }

    @Test func itRefusesToReplaceSomethingThatIsNotASocket() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
            let server = ControlServer(
                socketPath: path, controller: FakeBackupController(), logger: .quietTestLogger)
            #expect(throws: ControlServerError.self) { _ = try server.makeApplication() }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        }
    }
}

/// A socket file nobody listens on, as a daemon that died leaves behind.
private func makeStaleSocket(at path: String) throws {
    let descriptor = try RawHTTPClient.boundSocket(path)
    close(descriptor)
    var info = stat()
    #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
}
