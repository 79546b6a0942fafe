import APIModel
import Foundation
import PropertyBased
import Testing

@testable import Targets

/// The manifest and index decoders on mutated files: they never crash, and every refusal says
/// where: the manifest's field (or that it is not JSON), the index's line.
@Suite struct DecoderPropertyTests {
    static let manifest = Manifest(
        schemaVersion: 2, vmName: "web01", vmUUID: "8ab696c5-9e01-4a5c-9d6c-2e471893e57f",
        backupID: "20261122T013000Z-3f9a", name: "nightly", created: Date(timeIntervalSince1970: 1_795_311_000),
        parent: "20261121T013000Z-1b2c", consistency: .filesystem,
        disks: [
            ManifestDisk(
                target: "vda", method: .qcow2, format: "qcow2", virtualSize: 4_294_967_296, storedBytes: 1_073_741_824,
                sha256: String(repeating: "0f", count: 32), file: "vda.qcow2"),
            ManifestDisk(target: "sda", excluded: "cdrom"),
        ])

    /// Byte edits, each encoded by one number: delete, insert, overwrite, or flip a bit.
    static func mutate(_ bytes: [UInt8], _ edits: [Int]) -> [UInt8] {
        let alphabet = Array("{}[]\":,0123456789.-etrufalsn \\u".utf8) + [0x00, 0xff, 0x0a]
        var bytes = bytes
        for edit in edits {
            let position = bytes.isEmpty ? 0 : (edit >> 2) % bytes.count
            let value = alphabet[(edit >> 24) % alphabet.count]
            switch edit % 4 {
            case 0:
                if !bytes.isEmpty { bytes.removeSubrange(position..<min(bytes.count, position + (edit >> 20) % 8 + 1)) }
            case 1: bytes.insert(value, at: position)
            case 2: if !bytes.isEmpty { bytes[position] = value }
            default: if !bytes.isEmpty { bytes[position] ^= UInt8(1 << ((edit >> 20) % 8)) }
            }
        }
        return bytes
    }

    /// The manifest as a JSON object with one field removed, nulled or given a value of another
    /// type, at any depth.
    static func mutateField(_ object: Any, _ choice: Int) -> Any {
        let replacements: [Any] = [NSNull(), 7, "text", true, [1, 2], ["k": "v"], -1, 1e300]
        if var dictionary = object as? [String: Any], !dictionary.isEmpty {
            let key = dictionary.keys.sorted()[choice % dictionary.count]
            switch (choice >> 4) % 3 {
            case 0: dictionary.removeValue(forKey: key)
            case 1: dictionary[key] = replacements[(choice >> 8) % replacements.count]
            default: dictionary[key] = mutateField(dictionary[key]!, choice >> 6)
            }
            return dictionary
        }
        if var array = object as? [Any], !array.isEmpty {
            let index = choice % array.count
            array[index] =
                (choice >> 4) % 2 == 0
                ? replacements[(choice >> 8) % replacements.count]
                : mutateField(array[index], choice >> 6)
            return array
        }
        return replacements[choice % replacements.count]
    }

    static func expectReadOrExplained(_ bytes: [UInt8]) {
        do {
            _ = try Manifest.decode(Data(bytes))
        } catch {
            #expect(error.description.hasPrefix("manifest "))
            if let field = error.field {
                #expect(!field.isEmpty && error.description.contains("'\(field)'"), "\(error)")
            } else {
                #expect(["is not valid JSON", "is not a JSON object"].contains(error.problem), "\(error)")
            }
        }
    }

    @Test func mutatedManifestBytesNeverCrashAndEveryRefusalSaysWhere() async throws {
        let seed = Array(try Self.manifest.encoded())
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...5)) { edits in
            Self.expectReadOrExplained(Self.mutate(seed, edits))
        }
    }

    @Test func aManifestWithAFieldMissingOrOfTheWrongTypeNamesTheField() async throws {
        let object = try JSONSerialization.jsonObject(with: Self.manifest.encoded())
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max))) { choice in
            let mutated = Self.mutateField(object, choice)
            guard let data = try? JSONSerialization.data(withJSONObject: mutated) else { return }
            Self.expectReadOrExplained(Array(data))
        }
        // For example:
        var missing = try #require(object as? [String: Any])
        var disks = try #require(missing["disks"] as? [[String: Any]])
        disks[0].removeValue(forKey: "target")
        missing["disks"] = disks
        #expect(throws: ManifestError(field: "disks[0].target", problem: "is missing")) {
            try Manifest.decode(JSONSerialization.data(withJSONObject: missing))
        }
    }

    @Test func mutatedIndexBytesNeverCrashAndEveryRefusalNamesALine() async throws {
        let size = 64 << 20
        let index = ChunkIndex(
            chunkSize: 1 << 20, virtualSize: UInt64(size),
            entries: (0..<8).map {
                ChunkIndex.Entry(number: UInt64($0 * 7), digest: ChunkDigest(hashing: Array("chunk \($0)".utf8)))
            })
        let seed = index.encoded()
        #expect(try ChunkIndex.decode(seed, chunkSize: 1 << 20, virtualSize: UInt64(size)) == index)
        let lines = seed.count / 83
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...5)) { edits in
            let bytes = Self.mutate(seed, edits)
            do {
                _ = try ChunkIndex.decode(bytes, chunkSize: 1 << 20, virtualSize: UInt64(size))
            } catch let error as ChunkIndexError {
                switch error {
                case .malformed(let line), .outOfOrder(let line), .pastTheEnd(let line, _):
                    #expect((1...lines + 2).contains(line), "\(error)")
                case .badChunkSize:
                    Issue.record("the chunk size did not change: \(error)")
                }
                #expect(error.description.hasPrefix("line "))
            } catch {
                Issue.record("not a ChunkIndexError: \(error)")
            }
        }
    }
}
