import Testing

@testable import Targets

@Suite struct ChunkIndexTests {
    static let digestA = ChunkDigest(hashing: Array("a".utf8))
    static let digestB = ChunkDigest(hashing: Array("b".utf8))

    static let index = ChunkIndex(
        chunkSize: 1 << 20, virtualSize: (5 << 20) + 100,
        entries: [.init(number: 0, digest: digestA), .init(number: 5, digest: digestB)])

    @Test func encodesInSha256sumsFormat() {
        let text = String(decoding: Self.index.encoded(), as: UTF8.self)
        #expect(
            text == """
                ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  chunk-0000000000
                3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  chunk-0000000005

                """)
        #expect(Self.index.chunkCount == 6)
        let lastChunk: Range<UInt64> = (5 << 20)..<((5 << 20) + 100)
        #expect(Self.index.range(ofChunk: 5) == lastChunk)
    }

    @Test func decodesWhatItEncodes() throws {
        let decoded = try ChunkIndex.decode(Self.index.encoded(), chunkSize: 1 << 20, virtualSize: (5 << 20) + 100)
        #expect(decoded == Self.index)
        #expect(decoded.digest == Self.index.digest)
        #expect(try ChunkIndex.decode([], chunkSize: 1 << 20, virtualSize: 1 << 30).entries.isEmpty)
    }

    @Test func refusesLinesOutOfTheFormat() {
        let line = Array("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  chunk-0000000000\n".utf8)
        #expect(throws: ChunkIndexError.malformed(line: 1)) {
            try ChunkIndex.decode(line.dropLast() + [0x20], chunkSize: 1 << 20, virtualSize: 1 << 20)
        }
        #expect(throws: ChunkIndexError.malformed(line: 1)) {
            try ChunkIndex.decode(
                Array(String(decoding: line, as: UTF8.self).uppercased().utf8), chunkSize: 1 << 20,
                virtualSize: 1 << 20)
        }
        #expect(throws: ChunkIndexError.outOfOrder(line: 2)) {
            try ChunkIndex.decode(line + line, chunkSize: 1 << 20, virtualSize: 1 << 20)
        }
        #expect(throws: ChunkIndexError.pastTheEnd(line: 1, chunk: 5)) {
            try ChunkIndex.decode(Self.index.encoded().suffix(83), chunkSize: 1 << 20, virtualSize: 5 << 20)
        }
        #expect(throws: ChunkIndexError.malformed(line: 2)) {
            try ChunkIndex.decode(line + [0x0a], chunkSize: 1 << 20, virtualSize: 1 << 20)
        }
    }

    @Test func theZeroChunkDigestIsSha256sumOfZeros() {
        // head -c 1048576 /dev/zero | sha256sum
        #expect(
            ChunkIndex.zeroChunkDigest(length: 1 << 20).hex
                == "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58")
    }

    @Test func namesTheFirstChunkThatDiffers() {
        var found = Self.index
        #expect(Self.index.firstDifference(from: found) == nil)

        found.entries[1].digest = Self.digestA
        #expect(
            Self.index.firstDifference(from: found)
                == ChunkMismatch(chunk: 5, offset: 5 << 20, expected: Self.digestB, found: Self.digestA))

        found = Self.index
        found.entries.insert(.init(number: 2, digest: Self.digestA), at: 1)
        let extra = Self.index.firstDifference(from: found)
        #expect(extra == ChunkMismatch(chunk: 2, offset: 2 << 20, expected: nil, found: Self.digestA))
        #expect(extra?.description.contains("should hold zeros") == true)

        found = Self.index
        found.entries.removeFirst()
        #expect(
            Self.index.firstDifference(from: found)
                == ChunkMismatch(chunk: 0, offset: 0, expected: Self.digestA, found: nil))
    }

    @Test func readsAndWritesDigestsAsHex() {
        let hex = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
        #expect(ChunkDigest(hex: hex)?.hex == hex)
        #expect(ChunkDigest(hex: hex) == Self.digestA)
        #expect(ChunkDigest(hex: String(hex.dropLast())) == nil)
        #expect(ChunkDigest(hex: hex.uppercased()) == nil)
    }
}
