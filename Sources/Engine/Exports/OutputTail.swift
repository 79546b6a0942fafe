import Foundation
import Synchronization

/// The last few KiB a child printed on standard error.
final class OutputTail: Sendable {
    private static let limit = 4096
    private let bytes = Mutex<[UInt8]>([])

    func append(_ data: Data) {
        bytes.withLock { bytes in
            bytes.append(contentsOf: data)
            if bytes.count > Self.limit { bytes.removeFirst(bytes.count - Self.limit) }
        }
    }

    /// The last line that holds something other than blanks.
    var lastLine: String? {
        let text = String(decoding: bytes.withLock { $0 }, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty }
    }
}
