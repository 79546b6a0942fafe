import APIModel
import Foundation
import Testing

@testable import Targets

@Suite struct ManifestTests {
    let manifest = Manifest(
        schemaVersion: 1, vmName: "web01", vmUUID: "8ab696c5-9e01-4a5c-9d6c-2e471893e57f",
        backupID: "20261122T013000Z-3f9a", name: "nightly", created: Date(timeIntervalSince1970: 1_795_311_000),
        parent: nil, consistency: .filesystem,
        disks: [
            ManifestDisk(
                target: "vda", method: .qcow2, format: "qcow2", virtualSize: 4_294_967_296, storedBytes: 1_073_741_824,
                sha256: String(repeating: "0f", count: 32), file: "vda.qcow2"),
            ManifestDisk(target: "sda", excluded: "cdrom"),
        ])

    @Test func roundTripsThroughJSON() throws {
        #expect(try Manifest.decode(manifest.encoded()) == manifest)
        var described = manifest
        described.description = "before the upgrade"
        described.protected = true
        #expect(try Manifest.decode(described.encoded()) == described)
    }

    @Test func aManifestWithoutDescriptionOrProtectionReads() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: manifest.encoded()) as? [String: Any])
        object.removeValue(forKey: "protected")
        let read = try Manifest.decode(JSONSerialization.data(withJSONObject: object))
        #expect(read.protected == false)
        #expect(read.description == nil)
    }

    @Test func usesTheDocumentedKeysAndFormats() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: manifest.encoded()) as? [String: Any])
        #expect(
            Set(object.keys)
                == [
                    "schemaVersion", "vmName", "vmUUID", "backupID", "name", "created", "consistency", "disks",
                    "protected",
                ])
        #expect(object["created"] as? String == "2026-11-22T01:30:00Z")
        #expect(object["consistency"] as? String == "filesystem")
        let disks = try #require(object["disks"] as? [[String: Any]])
        #expect(disks[0]["sha256"] as? String == String(repeating: "0f", count: 32))
        #expect(disks[0]["method"] as? String == "qcow2")
        #expect(disks[0]["virtualSize"] as? Int == 4_294_967_296)
        #expect(disks[1]["excluded"] as? String == "cdrom")
        #expect(disks[1]["sha256"] == nil)
    }

    @Test func aStoredDiskIsWrittenAsTheAPIsDiskSummaryWasBeforeIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for disk in manifest.disks {
            #expect(try encoder.encode(disk) == encoder.encode(disk.summary()), "\(disk.target)")
            #expect(try JSONDecoder().decode(ManifestDisk.self, from: encoder.encode(disk.summary())) == disk)
        }
    }

    @Test func theEncodingIsStable() throws {
        #expect(try manifest.encoded() == manifest.encoded())
        let text = String(decoding: try manifest.encoded(), as: UTF8.self)
        #expect(text.contains("\n"), "pretty-printed for people reading the target")
    }

    @Test func aManifestFromTheFutureOrGarbageIsRefused() {
        #expect(throws: (any Error).self) { try Manifest.decode(Data("[]".utf8)) }
        #expect(throws: (any Error).self) { try Manifest.decode(Data("{\"schemaVersion\": 1}".utf8)) }
    }
}
