import Crypto

/// A SHA-256 digest held as four words: cheap to keep by the million in an index and to compare.
public struct ChunkDigest: Sendable, Hashable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest `SHA256` produced.
    public init(_ digest: SHA256.Digest) {
        words = digest.withUnsafeBytes { bytes in
            (
                bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }

    /// The SHA-256 of `bytes`.
    public init(hashing bytes: [UInt8]) {
        self.init(SHA256.hash(data: bytes))
    }

    /// Reads 64 lowercase hex digits; `nil` for anything else.
    public init?(hex: some Collection<UInt8>) {
        guard hex.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        var index = hex.startIndex
        for position in 0..<32 {
            guard let high = Self.nibble(hex[index]) else { return nil }
            index = hex.index(after: index)
            guard let low = Self.nibble(hex[index]) else { return nil }
            index = hex.index(after: index)
            bytes[position] = high << 4 | low
        }
        words = bytes.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }

    /// Reads 64 lowercase hex digits; `nil` for anything else.
    public init?(hex: String) { self.init(hex: Array(hex.utf8)) }

    public static func == (lhs: ChunkDigest, rhs: ChunkDigest) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The digest as `sha256sum` prints it.
    public var hex: String {
        var bytes: [UInt8] = []
        appendHex(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { hex }

    func appendHex(to output: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        withUnsafeBytes(of: words) { raw in
            for byte in raw {
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0x0f)])
            }
        }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
