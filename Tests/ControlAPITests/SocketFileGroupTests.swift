import Foundation
import Testing

@testable import ControlAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("The socket file's group")
struct SocketFileGroupTests {
    @Test func theProcessGroupIsFoundByName() throws {
        let name = try #require(groupName(of: getegid()))
        #expect(SocketFile.groupID(named: name) == getegid())
    }

    @Test func anUnknownGroupIsNotFound() {
        #expect(SocketFile.groupID(named: "vmbt-no-such-group-\(getpid())") == nil)
        #expect(SocketFile.groupID(named: "") == nil)
    }

    @Test func withoutTheGroupTheSocketKeepsTheDaemonsGroup() throws {
        try withBoundSocket { path in
            let socket = SocketFile(
                path: path, accessGroup: "vmbt-no-such-group-\(getpid())", runtimeDirectories: [])
            try socket.restrictPermissions()
            let info = try status(of: path)
            #expect(info.st_mode & 0o7777 == 0o660)
            #expect(info.st_gid == getegid())
        }
    }

    @Test(.enabled(if: canManageGroups, "needs root and groupadd"))
    func theSocketBelongsToTheAccessGroup() throws {
        try withTemporaryGroup { group, groupID in
            try withBoundSocket { path in
                let directory = (path as NSString).deletingLastPathComponent
                let socket = SocketFile(path: path, accessGroup: group, runtimeDirectories: [])
                try socket.restrictPermissions()
                let info = try status(of: path)
                #expect(info.st_mode & 0o7777 == 0o660)
                #expect(info.st_uid == geteuid())
                #expect(info.st_gid == groupID)
                // Not the service's runtime directory: its group is left alone.
                #expect(try status(of: directory).st_gid == getegid())
            }
        }
    }

    @Test(.enabled(if: canManageGroups, "needs root and groupadd"))
    func theRuntimeDirectoryHoldingTheSocketJoinsTheAccessGroup() throws {
        try withTemporaryGroup { group, groupID in
            try withBoundSocket { path in
                let directory = (path as NSString).deletingLastPathComponent
                #expect(chmod(directory, 0o750) == 0)
                let socket = SocketFile(
                    path: path, accessGroup: group, runtimeDirectories: ["/run/other", directory + "/"])
                try socket.restrictPermissions()
                let info = try status(of: directory)
                #expect(info.st_gid == groupID)
                #expect(info.st_uid == geteuid())
                #expect(info.st_mode & 0o7777 == 0o750)
                #expect(try status(of: path).st_gid == groupID)
            }
        }
    }

    @Test func theRuntimeDirectoriesComeFromTheServiceManager() {
        #expect(SocketFile.serviceRuntimeDirectories(environment: [:]).isEmpty)
        #expect(
            SocketFile.serviceRuntimeDirectories(environment: ["RUNTIME_DIRECTORY": "/run/vmbackup:/run/other"])
                == ["/run/vmbackup", "/run/other"])
        let socket = SocketFile(path: "/run/vmbackup/vmbackupd.sock", runtimeDirectories: ["/run/vmbackup"])
        #expect(socket.runtimeDirectoryHoldingSocket == "/run/vmbackup")
        let deeper = SocketFile(path: "/run/vmbackup/api/vmbackupd.sock", runtimeDirectories: ["/run/vmbackup"])
        #expect(deeper.runtimeDirectoryHoldingSocket == nil)
    }

    @Test func byDefaultTheSocketIsForTheVmbackupGroup() {
        #expect(SocketFile(path: "/tmp/x.sock").accessGroup == "vmbackup")
    }

    /// What the server does by default: the `vmbackup` group when the host has one, else the
    /// daemon's own group; 0660 either way.
    @Test func aRunningServersSocketFollowsTheHostsGroups() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/api.sock"
            try await withRunningServer(socketPath: path, controller: FakeBackupController()) { _ in
                let info = try status(of: path)
                #expect(info.st_mode & 0o7777 == 0o660)
                #expect(info.st_gid == SocketFile.groupID(named: "vmbackup") ?? getegid())
            }
        }
    }
}

private let canManageGroups: Bool =
    geteuid() == 0 && ["/usr/sbin/groupadd", "/usr/sbin/groupdel"].allSatisfy(FileManager.default.isExecutableFile)

private func groupName(of groupID: gid_t) -> String? {
    guard let entry = getgrgid(groupID), let name = entry.pointee.gr_name else { return nil }
    return String(cString: name)
}

private func status(of path: String) throws -> stat {
    var info = stat()
    guard lstat(path, &info) == 0 else {
        throw SocketTestFailure(description: "lstat \(path): \(String(cString: strerror(errno)))")
    }
    return info
}

private struct SocketTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// A socket bound (not listening) in a fresh directory, as the server leaves it before
/// restricting its permissions.
private func withBoundSocket(_ body: (String) throws -> Void) throws {
    let directory = "/tmp/vmbackup-sock-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/api.sock"
    let descriptor = try RawHTTPClient.boundSocket(path)
    defer { close(descriptor) }
    try body(path)
}

/// A system group that exists only for `body`.
private func withTemporaryGroup(_ body: (String, gid_t) throws -> Void) throws {
    let name = "vmbt-sock-\(UUID().uuidString.prefix(8).lowercased())"
    try runTool("/usr/sbin/groupadd", ["--system", name])
    defer { try? runTool("/usr/sbin/groupdel", [name]) }
    let groupID = try #require(SocketFile.groupID(named: name))
    try body(name, groupID)
}

private func runTool(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SocketTestFailure(
            description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
}
