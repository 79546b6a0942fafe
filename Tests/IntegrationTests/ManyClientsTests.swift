import APIModel
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension Integration {
    /// Clients that hold connections to a real vmbackupd's socket, as a member of its group can:
    /// idle ones past the limit, ones stuck in a request, an oversized body. The daemon keeps
    /// answering, refuses what it cannot serve with a clear 503, and closes what it does not need.
    /// No guest: nothing here touches libvirt.
    @Suite struct ManyClientsTests {
        init() {
            Self.raiseOpenFileLimit(to: 4096)
        }

        @Test func aSmallLimitRefusesBusyClientsAndClosesIdleOnes() throws {
            let daemon = try Daemon.start(config: "[api]\nmax_connections = 20\nidle_timeout = 3\n")
            #expect(daemon.logText.contains("api.max_connections=20"), "\(daemon.logText)")

            // Three times the limit in idle clients: the status still answers, at once.
            let idle = try (0..<60).map { _ in try SocketClient(daemon.socket) }
            let started = ContinuousClock.now
            let status = try daemon.request("GET", "/v1/status")
            #expect(status.status == 200, "\(status.body)")
            #expect(ContinuousClock.now - started < .seconds(5))
            usleep(200_000)
            let open = idle.filter { $0.readToEnd(waiting: 0).ending == .open }
            #expect(open.count <= 20, "at most the limit stays open: \(open.count)")
            #expect(open.count >= 15, "the newest idle clients are kept: \(open.count)")

            // Clients in the middle of a request fill the limit: a new one is refused at once,
            // in the API's error shape, and its connection closed (curl would wait otherwise).
            let stuck = try (0..<20).map { _ in try SocketClient(daemon.socket) }
            for client in stuck {
                client.write("POST /v1/vms/x/backups HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n")
            }
            usleep(300_000)
            let refused = try daemon.request("GET", "/v1/status")
            #expect(refused.status == 503, "\(refused.body)")
            let error = try APIJSON.decoder().decode(APIErrorBody.self, from: Data(refused.body.utf8)).error
            #expect(error.code == .tooManyConnections)
            #expect(error.message.contains("at most 20 connections"), "\(error.message)")

            // After the idle timeout (3 s) the daemon closes every one of them, stuck or idle,
            // and answers again.
            for client in idle + stuck {
                #expect(client.readToEnd(waiting: 5).ending == .closed)
            }
            #expect(try daemon.request("GET", "/v1/status").status == 200)
        }

        @Test func anOversizedBodyIsAnswered413AndItsConnectionEnds() throws {
            let daemon = try Daemon.start()
            let client = try SocketClient(daemon.socket)
            let body = String(repeating: "x", count: 256 * 1024)
            client.write(
                "POST /v1/vms/x/backups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
            let (answer, ending) = client.readToEnd(waiting: 5)
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 413"), "\(text)")
            #expect(text.contains("larger than 64 KiB"), "\(text)")
            #expect(ending == .closed, "the client reads an end of file, not a connection left open")
            #expect(try daemon.request("GET", "/v1/status").status == 200)
        }

        /// The attack as it was found: 1,100 idle connections to a daemon with 1,024 open files
        /// (the default soft limit outside systemd), on its default limit (half of that).
        @Test func elevenHundredIdleClientsDoNotStopADaemonWithTheDefaultFileLimit() throws {
            let daemon = try Self.withOpenFileLimit(1024) { try Daemon.start() }
            #expect(daemon.logText.contains("api.max_connections=512"), "\(daemon.logText)")
            let idle = try (0..<1100).map { _ in try SocketClient(daemon.socket) }
            let started = ContinuousClock.now
            let status = try daemon.request("GET", "/v1/status")
            #expect(status.status == 200, "\(status.body)")
            #expect(ContinuousClock.now - started < .seconds(5))
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd"))?.count
            #expect((descriptors ?? 0) < 1024 - 256, "the daemon holds \(descriptors ?? -1) descriptors")
            #expect(idle.count == 1100)
        }

        /// Runs `body` (which starts a child) with the soft open-file limit at `limit`, then puts
        /// it back: the child keeps the lower one.
        private static func withOpenFileLimit<T>(_ limit: rlim_t, _ body: () throws -> T) rethrows -> T {
            var saved = rlimit()
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            getrlimit(resource, &saved)
            var lowered = saved
            lowered.rlim_cur = min(limit, saved.rlim_max)
            setrlimit(resource, &lowered)
            defer { setrlimit(resource, &saved) }
            return try body()
        }

        private static func raiseOpenFileLimit(to wanted: rlim_t) {
            var limit = rlimit()
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            guard getrlimit(resource, &limit) == 0, limit.rlim_cur < wanted else { return }
            limit.rlim_cur = min(wanted, limit.rlim_max)
            setrlimit(resource, &limit)
        }
    }
}

/// A client connection to a Unix socket, held open by hand.
final class SocketClient {
    enum Ending: Equatable {
        /// The daemon closed the connection.
        case closed
        /// Nothing came within the time allowed; the connection is open.
        case open
    }

    private let descriptor: Int32

    init(_ path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw Shell.Failure(command: ["socket"], output: .init(status: errno, stdout: "", stderr: "socket failed"))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Shell.Failure(command: ["connect", path], output: .init(status: 1, stdout: "", stderr: reason))
        }
    }

    deinit { close(descriptor) }

    func write(_ text: String) {
        let data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// What the daemon sends until it closes the connection, or until nothing came for `seconds`.
    func readToEnd(waiting seconds: Double) -> (data: Data, ending: Ending) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(seconds * 1000)) > 0 else { return (data, .open) }
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return (data, .closed) }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
