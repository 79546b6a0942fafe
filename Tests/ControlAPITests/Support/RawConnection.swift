import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One client connection held open by hand: idle, half a request, or a request whose answer is
/// read to the server's end of file.
final class RawConnection {
    enum Ending: Equatable {
        /// The server closed the connection (read returned 0, or a reset after the answer).
        case closed
        /// Nothing more came within the time allowed: the connection is still open.
        case open
    }

    let descriptor: Int32

    init(_ socketPath: String) throws {
        descriptor = try RawHTTPClient.connectedSocket(socketPath)
    }

    deinit { close(descriptor) }

    /// Writes `text` (or as much as the server takes before it closes).
    func write(_ text: String) {
        write(Data(text.utf8))
    }

    func write(_ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                    let written = send(
                        descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    let written = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, 0)
                #endif
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Reads what the server sends until it closes the connection, or until nothing came for
    /// `seconds`.
    func readToEnd(waiting seconds: Double) -> (data: Data, ending: Ending) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(seconds * 1000)) > 0 else { return (data, .open) }
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else {
                return (data, .closed)
            }
        }
    }

    /// Blocks in a thread of its own, off the pool the in-process server may need.
    func readToEnd(waiting seconds: Double) async -> (data: Data, ending: Ending) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.readToEnd(waiting: seconds)) }
        }
    }
}

extension RawConnection: @unchecked Sendable {}
