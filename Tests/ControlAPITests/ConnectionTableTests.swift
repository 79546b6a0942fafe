import Testing

@testable import ControlAPI

@Suite("Connection limit")
struct ConnectionTableTests {
    @Test func connectionsUnderTheLimitAreAdmitted() {
        var table = ConnectionTable<Int>(limit: 2)
        #expect(table.admit(1) == .admitted)
        #expect(table.admit(2) == .admitted)
        #expect(table.count == 2)
    }

    @Test func atTheLimitANewConnectionReplacesTheOneIdleTheLongest() {
        var table = ConnectionTable<Int>(limit: 3)
        _ = table.admit(1)
        _ = table.admit(2)
        _ = table.admit(3)
        // 1 answers a request and is idle again: now 2 has been idle the longest.
        table.requestStarted(1)
        table.requestFinished(1)
        #expect(table.admit(4) == .admittedClosing(2))
        #expect(table.count == 3)
        #expect(table.admit(5) == .admittedClosing(3))
        #expect(table.admit(6) == .admittedClosing(1))
    }

    @Test func busyConnectionsAreNeverReplaced() {
        var table = ConnectionTable<Int>(limit: 2)
        _ = table.admit(1)
        _ = table.admit(2)
        table.requestStarted(1)
        #expect(table.admit(3) == .admittedClosing(2))
        table.requestStarted(3)
        #expect(table.admit(4) == .refused)
        #expect(table.count == 2)
    }

    @Test func aConnectionIsIdleOnlyOnceEveryRequestIsAnswered() {
        var table = ConnectionTable<Int>(limit: 1)
        _ = table.admit(1)
        table.requestStarted(1)
        table.requestStarted(1)
        table.requestFinished(1)
        #expect(table.admit(2) == .refused)
        table.requestFinished(1)
        #expect(table.admit(2) == .admittedClosing(1))
    }

    @Test func aClosedConnectionFreesItsPlace() {
        var table = ConnectionTable<Int>(limit: 1)
        _ = table.admit(1)
        table.requestStarted(1)
        #expect(table.admit(2) == .refused)
        table.closed(1)
        #expect(table.admit(2) == .admitted)
        // Reports about a connection the table no longer holds change nothing.
        table.requestStarted(1)
        table.closed(1)
        #expect(table.count == 1)
    }

    @Test func theDefaultLimitIsAtMostHalfTheOpenFileLimit() {
        #expect(ConnectionLimits.maxConnections(configured: nil, fileLimit: 1024) == (512, false))
        #expect(ConnectionLimits.maxConnections(configured: nil, fileLimit: 8192) == (1024, false))
        #expect(ConnectionLimits.maxConnections(configured: nil, fileLimit: nil) == (1024, false))
        #expect(ConnectionLimits.maxConnections(configured: nil, fileLimit: 1) == (1, false))
    }

    @Test func aConfiguredLimitAboveHalfTheOpenFileLimitIsLowered() {
        #expect(ConnectionLimits.maxConnections(configured: 100, fileLimit: 1024) == (100, false))
        #expect(ConnectionLimits.maxConnections(configured: 4000, fileLimit: 1024) == (512, true))
        #expect(ConnectionLimits.maxConnections(configured: 4000, fileLimit: 65536) == (4000, false))
    }

    @Test func theRefusalIsAnHTTP503InTheAPIErrorShape() {
        let answer = ConnectionRefusal.answer(limit: 7)
        #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(answer.contains("Connection: close\r\n"))
        #expect(answer.contains(#""code":"too_many_connections""#))
        #expect(answer.contains("at most 7 connections"))
        let body = answer.components(separatedBy: "\r\n\r\n").last ?? ""
        #expect(answer.contains("Content-Length: \(body.utf8.count)\r\n"))
    }
}
