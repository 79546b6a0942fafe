import APIModel
import ControlAPI
import Foundation
import Testing

/// The socket API against clients that hold connections: idle ones, ones stuck in a request, and
/// an oversized body. Every client here is a real connection to a real server.
@Suite("Many clients")
struct ConnectionLimitTests {
    @Test func idleConnectionsAtTheLimitMakeRoomForANewClient() async throws {
        try await withRunningServer(limits: ConnectionLimits(maxConnections: 4)) { client in
            let idle = try (0..<10).map { _ in try RawConnection(client.socketPath) }
            let status = try await client.send("GET", "/v1/status")
            #expect(status.status == 200, "the status answers while idle clients fill the limit")
            // Ten idle clients and the status request through a limit of four: seven idle ones
            // were closed to make room (which ones, ConnectionTableTests says), three stay open.
            var endings: [RawConnection.Ending] = []
            for connection in idle { endings.append(await connection.readToEnd(waiting: 0.5).ending) }
            #expect(endings.filter { $0 == .closed }.count == 7, "\(endings)")
            #expect(endings.filter { $0 == .open }.count == 3, "\(endings)")
        }
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefusedWith503AndClosed() async throws {
        try await withRunningServer(limits: ConnectionLimits(maxConnections: 2)) { client in
            // Two clients in the middle of a request: its body never comes.
            let stuck = try (0..<2).map { _ in try RawConnection(client.socketPath) }
            for connection in stuck {
                connection.write(
                    "POST /v1/vms/web01/backups HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n")
            }
            try await Task.sleep(for: .milliseconds(300))
            // RawHTTPClient reads to the end of file: a connection left open would fail the test.
            let started = ContinuousClock.now
            let refused = try await client.send("GET", "/v1/status")
            #expect(ContinuousClock.now - started < .seconds(5), "answered at once")
            #expect(refused.status == 503)
            #expect(refused.headers["connection"] == "close")
            #expect(refused.error?.code == .tooManyConnections)
            #expect(refused.error?.message.contains("at most 2 connections") == true, "\(refused.error?.message ?? "")")
            // The busy clients were left alone.
            for connection in stuck { #expect(await connection.readToEnd(waiting: 0.2).ending == .open) }
        }
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withRunningServer(limits: ConnectionLimits(maxConnections: 8, idleTimeout: .seconds(1))) {
            client in
            let idle = try RawConnection(client.socketPath)
            #expect(await idle.readToEnd(waiting: 0.4).ending == .open, "not before the timeout")
            #expect(await idle.readToEnd(waiting: 3).ending == .closed, "closed after it")
            // A connection that has been answered goes idle again, and is closed the same way.
            let kept = try RawConnection(client.socketPath)
            kept.write("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let (answer, ending) = await kept.readToEnd(waiting: 3)
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            #expect(ending == .closed)
        }
    }

    @Test func anOversizedBodyIsAnswered413AndTheConnectionEnds() async throws {
        try await withRunningServer { client in
            // A keep-alive request: without the server's close, the client would wait forever.
            let connection = try RawConnection(client.socketPath)
            let body = String(repeating: "x", count: 200 * 1024)
            connection.write(
                "POST /v1/vms/web01/backups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
            let (answer, ending) = await connection.readToEnd(waiting: 5)
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 413"), "\(text)")
            #expect(text.lowercased().contains("connection: close"), "\(text)")
            #expect(text.contains("larger than 64 KiB"), "\(text)")
            #expect(ending == .closed)
        }
    }

    @Test func anOversizedBodyThatNeverComesIsAnswered413AndTheConnectionEnds() async throws {
        try await withRunningServer { client in
            let connection = try RawConnection(client.socketPath)
            connection.write(
                "POST /v1/vms/web01/backups HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n{")
            let (answer, ending) = await connection.readToEnd(waiting: 5)
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 413"))
            #expect(ending == .closed)
        }
    }
}
