import Testing

@testable import Engine

@Suite struct ThawBackoffTests {
    @Test func thePausesDoubleFromTheFirstUpToTheLongest() {
        let backoff = ThawBackoff(first: .seconds(1), longest: .seconds(60))
        let pauses = (0..<9).map { backoff.delay(beforeAttempt: $0) }
        #expect(pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        #expect(backoff.delay(beforeAttempt: 10_000) == .seconds(60), "no overflow after days of tries")
    }

    @Test func onlyTheFirstTriesAndThenOneAnHourAreWarnings() {
        let backoff = ThawBackoff()
        let warned = (1...130).filter(backoff.isWorthAWarning(attempt:))
        #expect(warned == [1, 2, 3, 60, 120])
    }
}

@Suite struct FreezeStatusReplyTests {
    @Test func theAgentsAnswerIsRead() throws {
        #expect(try GuestFilesystems.freezeStatus(fromReply: #"{"return":"thawed"}"#) == .thawed)
        #expect(try GuestFilesystems.freezeStatus(fromReply: #"{"return": "frozen"}"#) == .frozen)
    }

    @Test func anythingElseIsAnErrorNotAThaw() {
        for reply in [#"{"return":"maybe"}"#, #"{"error":{"class":"GenericError"}}"#, "", "[]"] {
            #expect(throws: EngineError.self) { try GuestFilesystems.freezeStatus(fromReply: reply) }
        }
    }
}
