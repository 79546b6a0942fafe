import APIModel
import Foundation
import Streaming
import Targets
import Testing

@testable import Engine

/// What a verify checks, in which order, and what it says when something is wrong.
@Suite struct BackupVerifierTests {
    private actor Steps {
        private(set) var entered: [String] = []
        func append(_ step: String) { entered.append(step) }
    }

    private func verify(
        _ effects: FakeVerifyEffects, progress: ProgressCounter = ProgressCounter(), steps: Steps = Steps()
    ) async throws -> VerificationProblem? {
        try await BackupVerifier(
            plan: VerifyFixture.plan, effects: effects, progress: progress, onStep: { await steps.append($0) }
        ).verify()
    }

    @Test func aBackupAsItsManifestSaysPassesEveryDiskReadInFullWithProgress() async throws {
        let effects = FakeVerifyEffects()
        let progress = ProgressCounter()
        let steps = Steps()

        let problem = try await verify(effects, progress: progress, steps: steps)

        #expect(problem == nil)
        #expect(await effects.read == ["vda", "vdb"], "the excluded disk is not read")
        #expect(await effects.hashings == ["vda": .chunks(size: VerifyFixture.chunkSize), "vdb": .whole])
        #expect(progress.snapshot == TaskProgress(doneBytes: 6 << 20, totalBytes: 6 << 20))
        #expect(await steps.entered == ["reading manifest", "verifying files", "verifying vda", "verifying vdb"])
    }

    @Test func aChangedChunkNamesTheDiskAndItsOffset() async throws {
        let effects = FakeVerifyEffects()
        var changed = VerifyFixture.vdaIndex
        changed.entries[1].digest = ChunkDigest(hashing: Array("THREE".utf8))
        await effects.change { [changed] in
            $0.readings["vda"] = .read(StreamResult(virtualSize: 4 << 20, storedBytes: 2 << 20, index: changed))
        }

        let problem = try #require(try await verify(effects))

        #expect(problem.disk == "vda")
        #expect(problem.offset == 3 << 20)
        #expect(problem.message.contains("chunk 3 (offset 3145728)"), "\(problem.message)")
        #expect(problem.description.hasPrefix("disk vda: chunk 3"), "\(problem.description)")
        #expect(await effects.read == ["vda"], "it stops at the first problem")
    }

    @Test func dataWhereTheIndexSaysZerosIsFound() async throws {
        let effects = FakeVerifyEffects()
        var changed = VerifyFixture.vdaIndex
        changed.entries.insert(.init(number: 0, digest: ChunkDigest(hashing: [1])), at: 0)
        await effects.change { [changed] in
            $0.readings["vda"] = .read(StreamResult(virtualSize: 4 << 20, storedBytes: 2 << 20, index: changed))
        }

        let problem = try #require(try await verify(effects))

        #expect(problem.offset == 0)
        #expect(problem.message.contains("should hold zeros"), "\(problem.message)")
    }

    @Test func aFormatOneDiskIsCheckedAgainstTheSHA256OfItsWholeContent() async throws {
        let effects = FakeVerifyEffects()
        let wrong = String(repeating: "00", count: 32)
        await effects.change {
            $0.readings["vdb"] = .read(StreamResult(virtualSize: 2 << 20, storedBytes: 0, sha256: wrong))
        }

        let problem = try #require(try await verify(effects))

        #expect(problem.disk == "vdb")
        #expect(problem.offset == nil)
        #expect(
            problem.message == "the content hashes to SHA-256 \(wrong), the manifest says \(VerifyFixture.vdbSHA256)")
    }

    @Test func aMissingIndexFailsBeforeTheImageIsRead() async throws {
        let effects = FakeVerifyEffects()
        await effects.change { $0.files["vda.index"] = nil }

        let problem = try #require(try await verify(effects))

        #expect(
            problem
                == VerificationProblem(disk: "vda", file: "vda.index", message: "the chunk index vda.index is missing"))
        #expect(await effects.read == [])
    }

    @Test func anIndexThatDoesNotHashToTheManifestsDigestFails() async throws {
        let effects = FakeVerifyEffects()
        var bytes = VerifyFixture.vdaIndex.encoded()
        bytes[0] = bytes[0] == 0x61 ? 0x62 : 0x61
        await effects.change { [bytes] in $0.files["vda.index"] = bytes }

        let problem = try #require(try await verify(effects))

        #expect(problem.disk == "vda" && problem.file == "vda.index")
        #expect(problem.message.contains("the manifest says \(VerifyFixture.vdaIndex.digest)"), "\(problem.message)")
    }

    @Test func aMissingImageFailsNamingIt() async throws {
        let effects = FakeVerifyEffects()
        await effects.change { $0.readings["vdb"] = nil }

        let problem = try #require(try await verify(effects))

        #expect(
            problem == VerificationProblem(disk: "vdb", file: "vdb.qcow2", message: "the image vdb.qcow2 is missing"))
    }

    @Test func aDamagedImageFailsWithWhatQemuImgCheckSays() async throws {
        let effects = FakeVerifyEffects()
        let why = ImageCheck(corruptions: 85, cutShort: true).problem(file: "vda.qcow2") ?? ""
        await effects.change { $0.readings["vda"] = .damaged(why) }

        let problem = try #require(try await verify(effects))

        #expect(problem.disk == "vda" && problem.file == "vda.qcow2")
        #expect(problem.message.contains("vda.qcow2 is cut short"), "\(problem.message)")
    }

    @Test func anImageThatCannotBeReadFails() async throws {
        let effects = FakeVerifyEffects()
        await effects.change {
            $0.readErrors["vda"] = StreamError(
                .reading, disk: "vda", path: "/x/vda.qcow2", reason: "Input/output error")
        }

        let problem = try #require(try await verify(effects))

        #expect(problem.message.hasPrefix("cannot read the image vda.qcow2: "), "\(problem.message)")
        #expect(problem.message.contains("Input/output error"))
    }

    @Test func anImageOfTheWrongSizeFails() async throws {
        let effects = FakeVerifyEffects()
        await effects.change {
            $0.readings["vda"] = .read(
                StreamResult(virtualSize: 3 << 20, storedBytes: 2 << 20, index: VerifyFixture.vdaIndex))
        }

        let problem = try #require(try await verify(effects))

        #expect(problem.message == "the image reads back as 3145728 bytes, the manifest says 4194304")
    }

    @Test func aSavedFileIsCheckedForItsSizeAndDigest() async throws {
        let effects = FakeVerifyEffects()
        await effects.change { $0.files["nvram.fd"] = Array(repeating: 0x4e, count: 64) }
        let short = try #require(try await verify(effects))
        #expect(
            short == VerificationProblem(file: "nvram.fd", message: "nvram.fd holds 64 bytes, the manifest says 128"))

        await effects.change { $0.files["nvram.fd"] = Array(repeating: 0x4f, count: 128) }
        let changed = try #require(try await verify(effects))
        #expect(changed.message.hasPrefix("nvram.fd hashes to SHA-256 "), "\(changed.message)")

        await effects.change { $0.files["nvram.fd"] = nil }
        let missing = try #require(try await verify(effects))
        #expect(missing.message == "nvram.fd is missing")
    }

    @Test func aManifestGoneFromTheTargetFails() async throws {
        let effects = FakeVerifyEffects()
        await effects.change { $0.manifest = nil }

        let problem = try #require(try await verify(effects))

        #expect(problem.file == "manifest.json")
        #expect(problem.message.contains("not on target 'default'"), "\(problem.message)")
    }

    @Test func aManifestThatNamesAnotherBackupFails() async throws {
        let effects = FakeVerifyEffects()
        var other = VerifyFixture.manifest
        other.backupID = "20270116T080000Z-0000"
        await effects.change { [other] in $0.manifest = other }

        let problem = try #require(try await verify(effects))

        #expect(problem.message.contains("names backup 20270116T080000Z-0000"), "\(problem.message)")
    }

    @Test func aDiskWithNeitherIndexNorSHA256Fails() async throws {
        let effects = FakeVerifyEffects()
        var manifest = VerifyFixture.manifest
        manifest.disks[1].sha256 = nil
        await effects.change { [manifest] in $0.manifest = manifest }

        let problem = try #require(try await verify(effects))

        #expect(
            problem
                == VerificationProblem(disk: "vdb", message: "the manifest gives neither a chunk index nor a SHA-256"))
    }

    @Test func aStreamStoppedByCancellationCancelsTheVerify() async throws {
        let effects = FakeVerifyEffects()
        await effects.change {
            $0.readErrors["vda"] = StreamError.cancelled(disk: "vda", path: "/x/vda.qcow2")
        }

        await #expect(throws: CancellationError.self) { try await verify(effects) }
    }

    @Test func aCancelledTaskStopsBeforeTheNextDisk() async throws {
        let effects = FakeVerifyEffects()
        let verifier = BackupVerifier(
            plan: VerifyFixture.plan, effects: effects, progress: ProgressCounter(), onStep: { _ in })
        await effects.change { $0.whileReading = { _ in withUnsafeCurrentTask { $0?.cancel() } } }

        let outcome = await Task { try await verifier.verify() }.result

        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(await effects.read == ["vda"])
    }
}
