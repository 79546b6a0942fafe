import APIModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A deliberately plain HTTP/1.1 client for the tests: one request per connection over a POSIX
/// Unix socket, so the server is exercised exactly as `curl --unix-socket` would.
struct RawHTTPClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: Data

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try APIJSON.decoder().decode(type, from: body)
        }

        /// The `{"error": ...}` body.
        var error: APIErrorInfo? { try? decode(APIErrorBody.self).error }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socketPath: String

    func send(_ method: String, _ path: String, body: String? = nil) async throws -> Reply {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        request += "\r\n" + (body ?? "")
        let raw = try await exchange(Data(request.utf8))
        return try Self.parse(raw)
    }

    /// Writes `request` and reads until the server closes; blocking, so on a thread of its own
    /// rather than on a pool the server's handlers may need.
    private func exchange(_ request: Data) async throws -> Data {
        let socketPath = self.socketPath
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.blockingExchange(request, socketPath: socketPath) })
            }
        }
    }

    private static func blockingExchange(_ request: Data, socketPath: String) throws -> Data {
        let descriptor = try connectedSocket(socketPath)
        defer { close(descriptor) }
        // A server may answer (413) before reading everything and close: the answer still counts.
        request.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Self.sendNoSignal(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                reply.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno == ECONNRESET {
                return reply
            } else {
                throw Failure(description: "read failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    private static func sendNoSignal(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.send(descriptor, bytes, count, Int32(MSG_NOSIGNAL))
        #else
            Darwin.send(descriptor, bytes, count, 0)
        #endif
    }

    /// A connected, blocking socket with a 60 s receive timeout: a safety net against a server that
    /// never answers, generous enough for a machine loaded by the rest of the suite.
    static func connectedSocket(_ path: String) throws -> Int32 {
        try withSocket(path, "connect") { descriptor, address, length in
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return connect(descriptor, address, length)
        }
    }

    /// A socket bound to `path`, not listening.
    static func boundSocket(_ path: String) throws -> Int32 {
        try withSocket(path, "bind") { bind($0, $1, $2) }
    }

    private static func withSocket(
        _ path: String, _ operation: String,
        _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "\(operation) \(path) failed: \(reason)")
        }
        return descriptor
    }

    private static func parse(_ raw: Data) throws -> Reply {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = raw.range(of: separator) else {
            throw Failure(description: "no complete HTTP head in \(raw.count) bytes")
        }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusWords = head[0].split(separator: " ")
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else {
            throw Failure(description: "bad status line: \(head[0])")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Reply(status: status, headers: headers, body: Data(raw[end.upperBound...]))
    }
}
