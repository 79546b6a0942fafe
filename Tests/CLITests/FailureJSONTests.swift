import APIModel
import Foundation
import Testing

@testable import vmbackup

@Suite("Failures as JSON")
struct FailureJSONTests {
    struct Body: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String
            var status: Int32
            var httpStatus: Int?
        }
        var error: Detail
    }

    func decode(_ failure: CLIFailure) throws -> Body.Detail {
        try JSONDecoder().decode(Body.self, from: failure.json()).error
    }

    @Test func theDaemonsCodeAndHTTPStatusAreKept() throws {
        let failure = CLIFailure(daemonError: "vm_not_found", message: "no VM named \"web 01\"", httpStatus: 404)
        let detail = try decode(failure)
        #expect(detail.code == "vm_not_found")
        #expect(detail.message == "no VM named \"web 01\"")
        #expect(detail.status == 4)
        #expect(detail.httpStatus == 404)
    }

    @Test func aCodeNewerThanTheCLIIsKeptAsIs() throws {
        let detail = try decode(CLIFailure(daemonError: "quota_exceeded", message: "full", httpStatus: 507))
        #expect(detail.code == "quota_exceeded")
        #expect(detail.status == 1)
    }

    @Test func anUnreachableDaemonHasTheCLIsOwnCode() throws {
        let detail = try decode(CLIFailure.unreachable(socketPath: "/run/x.sock", reason: "No such file or directory"))
        #expect(detail.code == "daemon_unreachable")
        #expect(detail.status == 3)
        #expect(detail.httpStatus == nil)
        #expect(detail.message.contains("/run/x.sock"))
    }

    @Test func theObjectIsOneLineWithSortedKeys() {
        let text = String(decoding: CLIFailure("bad --level", status: .usage).json(), as: UTF8.self)
        #expect(text == #"{"error":{"code":"usage","message":"bad --level","status":2}}"#)
    }

    @Test func aFailedTaskPrintedAsJSONIsNotPrintedAgain() throws {
        let task = TaskInfo(
            id: "t1", kind: "backup", vm: "web01", state: .failed, created: Date(),
            error: APIErrorInfo(.freezeFailed, "freeze failed"))
        let failure = try #require(TaskOutcome.failure(of: task, shownAsJSON: true))
        #expect(failure.shownAsJSON)
        #expect(failure.code == "freeze_failed")
        #expect(failure.status == .failure)
        #expect(TaskOutcome.failure(of: task, shownAsJSON: false)?.shownAsJSON == false)
    }
}
