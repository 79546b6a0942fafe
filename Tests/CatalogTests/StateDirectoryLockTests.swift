import Catalog
import Foundation
import Targets
import Testing

/// One daemon per state directory: the lock comes first, and a second taker is refused at once.
@Suite struct StateDirectoryLockTests {
    @Test func aSecondLockOnTheSameStateDirectoryFailsNamingTheFileAndTheHolder() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let held = try StateDirectoryLock(directory: folder)
        #expect(held.path == folder + "/vmbackupd.lock")

        let error = #expect(throws: StateDirectoryError.self) { try StateDirectoryLock(directory: folder) }
        #expect(error == .held(path: held.path, pid: getpid()))
        #expect(error?.description.contains(held.path) == true, "\(String(describing: error))")
        #expect(error?.description.contains("pid \(getpid())") == true)
    }

    @Test func theLockIsReleasedWhenItsHolderLetsGo() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        do {
            _ = try StateDirectoryLock(directory: folder)
        }
        let again = try StateDirectoryLock(directory: folder)
        #expect(FileManager.default.fileExists(atPath: again.path))
    }

    @Test func anotherProcessSeesTheLockHeld() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        do {
            let lock = try StateDirectoryLock(directory: folder)
            #expect(try flockCommand(lock.path) == 1, "flock(1) finds it taken")
        }
        #expect(try flockCommand(folder + "/vmbackupd.lock") == 0, "and free once released")
    }

    @Test func theDaemonIDIsMadeOnceAndKept() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let first = try DaemonIdentity.load(stateDirectory: folder)
        let second = try DaemonIdentity.load(stateDirectory: folder)
        #expect(first == second)
        #expect(UUID(uuidString: first.daemonID) != nil)
        #expect(first.host == DaemonIdentity.currentHost())
        #expect(FileManager.default.fileExists(atPath: folder + "/daemon-id"))

        let other = try Fixture.scratchFolder()
        defer { Fixture.remove(other) }
        #expect(try DaemonIdentity.load(stateDirectory: other).daemonID != first.daemonID)
    }

    @Test func aDamagedDaemonIDIsRefusedNotReplaced() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        try "not a uuid\n".write(toFile: folder + "/daemon-id", atomically: false, encoding: .utf8)
        #expect(throws: StateDirectoryError.self) { try DaemonIdentity.load(stateDirectory: folder) }
        #expect(try String(contentsOfFile: folder + "/daemon-id", encoding: .utf8) == "not a uuid\n")
    }

    /// `flock -n FILE true`: 0 when the lock was free, 1 when another holds it.
    private func flockCommand(_ file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["-n", file, "true"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
