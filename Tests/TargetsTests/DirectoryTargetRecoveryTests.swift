import APIModel
import Foundation
import Testing

@testable import Targets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct DirectoryTargetRecoveryTests {
    private let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    private let otherVM = "0e4b9a7c-2d51-4f0e-8a43-7f1c2b9d6e35"

    private static func id(_ text: String) -> BackupID { BackupID(validating: text)! }

    /// Late enough that every leftover without an owner counts as abandoned: these tests are
    /// about which names and kinds the sweep takes, not whose they are.
    private let later = Date().addingTimeInterval(DirectoryTarget.abandonedAfter + 3600)

    private func manifest(_ id: BackupID, vm: String, name: String = "nightly") -> Manifest {
        Manifest(
            vmName: "web01", vmUUID: vm, backupID: id.rawValue, name: name, created: id.date!, consistency: .crash,
            disks: [ManifestDisk(target: "vda", method: .qcow2, format: "qcow2", file: "vda.qcow2")])
    }

    /// A target in a new folder under the temporary directory.
    private func newTarget() throws -> DirectoryTarget {
        try DirectoryTarget(root: NSTemporaryDirectory() + "vmbt-recovery-" + UUID().uuidString, executor: testExecutor)
    }

    /// Publishes backup `id` of `vm` with a disk image.
    private func publish(_ id: BackupID, vm: String, on target: DirectoryTarget) async throws -> StoredBackup {
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id)
        try await partial.writeDomainXML("<domain/>")
        try write("image \(id)", to: partial.imagePath(forDisk: "vda"))
        return try await partial.commit(manifest(id, vm: vm))
    }

    /// Begins backup `id` of `vm` and writes a few files into it, one in a subfolder, as a job
    /// that crashed before publishing would leave it.
    private func abandonedPartial(_ id: BackupID, vm: String, on target: DirectoryTarget) async throws -> String {
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id)
        try await partial.writeDomainXML("<domain/>")
        try write("half an image", to: partial.imagePath(forDisk: "vda"))
        try makeFolder(partial.directory + "/nested")
        try write("more", to: partial.directory + "/nested/file")
        return partial.directory
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Everything under `root`, by path relative to it: `dir`, `file:<contents>` or `link:<target>`.
    /// Symbolic links are not followed.
    private func tree(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                let child = relative.isEmpty ? name : relative + "/" + name
                let full = root + "/" + child
                let type = try FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    result[child] = "dir"
                    try walk(child)
                case .typeSymbolicLink?:
                    result[child] = "link:" + (try FileManager.default.destinationOfSymbolicLink(atPath: full))
                default:
                    let contents = try Data(contentsOf: URL(fileURLWithPath: full))
                    result[child] = "file:" + String(decoding: contents, as: UTF8.self)
                }
            }
        }
        try walk("")
        return result
    }

    @Test func sweepRemovesTheLeftoversAndNothingElse() async throws {
        let target = try newTarget()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        let root = target.root
        let vmDirectory = root + "/" + vm

        // Published backups, one of them with the scratch file of an interrupted edit.
        let kept = try await publish(Self.id("20261122T013000Z-0001"), vm: vm, on: target)
        let edited = try await publish(Self.id("20261123T013000Z-0002"), vm: vm, on: target)
        let scratch = edited.location + "/.manifest.json.new"
        let renamed = manifest(Self.id("20261123T013000Z-0002"), vm: vm, name: "never renamed")
        try renamed.encoded().write(to: URL(fileURLWithPath: scratch))
        let otherKept = try await publish(Self.id("20261122T020000Z-00aa"), vm: otherVM, on: target)

        // Work a crashed job left, in both VM folders.
        let partial = try await abandonedPartial(Self.id("20261124T013000Z-0003"), vm: vm, on: target)
        let otherPartial = try await abandonedPartial(Self.id("20261124T020000Z-00bb"), vm: otherVM, on: target)

        // A delete interrupted after its rename.
        let doomed = try await publish(Self.id("20261121T013000Z-0004"), vm: vm, on: target)
        let deleting = vmDirectory + "/.deleting-20261121T013000Z-0004"
        #expect(rename(doomed.location, deleting) == 0)
        try write("more", to: deleting + "/extra")

        // Names that only resemble the leftovers, and things that are not the target's.
        try makeFolder(vmDirectory + "/.partial-notanid")
        try write("keep", to: vmDirectory + "/.partial-notanid/file")
        try makeFolder(vmDirectory + "/.partial-20261124T013000Z-0003x")
        try makeFolder(vmDirectory + "/.partial-20261324T013000Z-0003")  // month 13
        try makeFolder(vmDirectory + "/.deleting-20261121T013000Z-ABCD")  // uppercase hex
        try makeFolder(vmDirectory + "/.Partial-20261124T013000Z-0005")
        try makeFolder(vmDirectory + "/partial-20261124T013000Z-0006")
        try write("keep", to: vmDirectory + "/.deleting-x")
        try makeFolder(vmDirectory + "/notes")
        try write("keep", to: vmDirectory + "/notes/.manifest.json.new")
        try write("keep", to: kept.location + "/.manifest.json.new.old")
        try makeFolder(root + "/lost+found")
        try write("keep", to: root + "/lost+found/#1234")
        try write("keep", to: root + "/.hidden")
        try makeFolder(root + "/.partial-20261124T013000Z-0007")  // not inside a VM folder
        try write("keep", to: root + "/.partial-20261124T013000Z-0007/file")

        let before = try tree(root)
        let report = await target.sweep(now: later)

        #expect(report.partials == [partial, otherPartial].sorted())
        #expect(report.deletions == [deleting])
        #expect(report.manifestScratch == [scratch])
        #expect(report.problems == [])

        // Exactly the leftovers are gone; every other file is as it was.
        let gone = [partial, otherPartial, deleting, scratch].map { String($0.dropFirst(root.count + 1)) }
        let expected = before.filter { path, _ in
            !gone.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
        #expect(expected.count < before.count)
        #expect(try tree(root) == expected)
        for path in [partial, otherPartial, deleting, scratch] {
            #expect(!exists(path), "\(path)")
        }

        // The published backups are listed with the manifests they were published with.
        #expect(try await target.list(vmUUID: vm) == [kept, edited])
        #expect(try await target.list(vmUUID: otherVM) == [otherKept])
        #expect(try await target.backup(vmUUID: vm, id: edited.manifest.backupID).manifest.name == "nightly")

        // Nothing is left to do.
        let again = await target.sweep(now: later)
        #expect(again == SweepReport())
        #expect(again.isEmpty)
        #expect(try tree(root) == expected)
    }

    @Test func leftoversOfTheWrongKindAreReportedAndLeftAlone() async throws {
        let target = try newTarget()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        let vmDirectory = target.root + "/" + vm
        try makeFolder(vmDirectory)

        // A `.partial-<id>` that is a file, a `.deleting-<id>` that is a link to a folder with
        // files, and a scratch manifest in a backup folder whose manifest is missing.
        let partialFile = vmDirectory + "/.partial-20261124T013000Z-0003"
        try write("not a folder", to: partialFile)
        let elsewhere = target.root + "/elsewhere"
        try makeFolder(elsewhere)
        try write("keep", to: elsewhere + "/file")
        let deletingLink = vmDirectory + "/.deleting-20261121T013000Z-0004"
        try FileManager.default.createSymbolicLink(atPath: deletingLink, withDestinationPath: elsewhere)
        let broken = vmDirectory + "/20261123T013000Z-0002"
        try makeFolder(broken)
        let scratch = broken + "/.manifest.json.new"
        try manifest(Self.id("20261123T013000Z-0002"), vm: vm).encoded().write(to: URL(fileURLWithPath: scratch))

        let before = try tree(target.root)
        let report = await target.sweep(now: later)

        #expect(report.partials.isEmpty && report.deletions.isEmpty && report.manifestScratch.isEmpty)
        #expect(report.problems.count == 3)
        for path in [partialFile, deletingLink, scratch] {
            #expect(report.problems.contains { $0.contains(path) }, "\(path) is reported")
        }
        #expect(try tree(target.root) == before)
        #expect(await target.sweep(now: later) == report, "still there, still reported")
    }

    @Test(.enabled(if: Pin.works, "needs a way to make a file unremovable"))
    func anItemThatCannotBeRemovedIsReportedAndTheSweepGoesOn() async throws {
        let target = try newTarget()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        let stuck = try await abandonedPartial(Self.id("20261124T013000Z-0001"), vm: vm, on: target)
        let loose = try await abandonedPartial(Self.id("20261124T013000Z-0002"), vm: vm, on: target)
        let pinned = stuck + "/nested/file"
        try #require(Pin.pin(pinned))
        defer { Pin.unpin(pinned) }

        let report = await target.sweep(now: later)
        #expect(report.partials == [loose])
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains(stuck) == true)
        #expect(!exists(loose))
        #expect(exists(pinned))

        Pin.unpin(pinned)
        #expect(await target.sweep(now: later) == SweepReport(partials: [stuck]))
        #expect(!exists(stuck))
    }

    @Test func removePartialRemovesOneBackupsPartialFolder() async throws {
        let target = try newTarget()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        let gone = Self.id("20261124T013000Z-0001")
        let staying = Self.id("20261124T013000Z-0002")
        let partial = try await abandonedPartial(gone, vm: vm, on: target)
        let other = try await abandonedPartial(staying, vm: vm, on: target)
        let published = try await publish(Self.id("20261122T013000Z-0003"), vm: vm, on: target)

        #expect(try await target.removePartial(vmUUID: vm, backupID: gone) == .removed)
        #expect(!exists(partial))
        #expect(exists(other + "/nested/file"), "another backup's partial folder stays")

        #expect(try await target.removePartial(vmUUID: vm, backupID: gone) == .absent, "nothing to remove")
        #expect(try await target.removePartial(vmUUID: otherVM, backupID: staying) == .absent, "no folder for that VM")
        #expect(try await target.removePartial(vmUUID: vm, backupID: Self.id("20261122T013000Z-0003")) == .absent)
        #expect(try await target.list(vmUUID: vm) == [published], "a published backup is not a partial one")
        await #expect(throws: TargetError.self) {
            try await target.removePartial(vmUUID: "../" + vm, backupID: staying)
        }
        #expect(exists(other))

        let file = target.root + "/" + vm + "/.partial-20261124T013000Z-0009"
        try write("not a folder", to: file)
        await #expect(throws: TargetError.self) {
            try await target.removePartial(vmUUID: vm, backupID: Self.id("20261124T013000Z-0009"))
        }
        #expect(exists(file))
    }
}

/// Makes a file impossible to remove and possible again: the immutable attribute for root, who
/// ignores permissions; a read-only folder for anyone else.
private enum Pin {
    static let works: Bool = {
        let folder = NSTemporaryDirectory() + "vmbt-pin-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/file"
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil,
            FileManager.default.createFile(atPath: file, contents: Data()), pin(file)
        else { return false }
        let refused = unlink(file) != 0
        unpin(file)
        return refused
    }()

    static func pin(_ file: String) -> Bool {
        if geteuid() == 0 { return chattr("+i", file) }
        return chmod((file as NSString).deletingLastPathComponent, 0o555) == 0
    }

    static func unpin(_ file: String) {
        if geteuid() == 0 {
            _ = chattr("-i", file)
        } else {
            _ = chmod((file as NSString).deletingLastPathComponent, 0o755)
        }
    }

    private static func chattr(_ change: String, _ file: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [change, file]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
