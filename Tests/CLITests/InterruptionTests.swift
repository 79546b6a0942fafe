import Testing

@testable import vmbackup

@Suite("Ctrl-C while following a task")
struct InterruptionTests {
    @Test func onATerminalTheFirstCtrlCAsks() {
        var interruption = Interruption(canAsk: true)
        #expect(interruption.handle(.interrupt) == .ask)
        #expect(interruption.state == .asking)
    }

    @Test func answeringCancelCancelsTheTask() {
        for answer in ["c", "C", "cancel", " c "] {
            var interruption = Interruption(canAsk: true)
            _ = interruption.handle(.interrupt)
            #expect(interruption.handle(.answer(answer)) == .cancel, "\(answer.debugDescription)")
            #expect(interruption.state == .cancelling)
        }
    }

    @Test func answeringLeaveDetaches() {
        for answer in ["l", "leave", "L"] {
            var interruption = Interruption(canAsk: true)
            _ = interruption.handle(.interrupt)
            #expect(interruption.handle(.answer(answer)) == .detach, "\(answer.debugDescription)")
        }
    }

    @Test func anEmptyAnswerKeepsWatchingAndTheNextCtrlCAsksAgain() {
        var interruption = Interruption(canAsk: true)
        _ = interruption.handle(.interrupt)
        #expect(interruption.handle(.answer("")) == .resume)
        #expect(interruption.state == .following)
        #expect(interruption.handle(.interrupt) == .ask)
    }

    @Test func aSecondCtrlCWhileAskedLeavesTheTaskRunning() {
        var interruption = Interruption(canAsk: true)
        _ = interruption.handle(.interrupt)
        #expect(interruption.handle(.interrupt) == .detach)
    }

    @Test func theEndOfInputWhileAskedLeavesTheTaskRunning() {
        var interruption = Interruption(canAsk: true)
        _ = interruption.handle(.interrupt)
        #expect(interruption.handle(.endOfInput) == .detach)
    }

    @Test func anAnswerNotUnderstoodAsksAgain() {
        var interruption = Interruption(canAsk: true)
        _ = interruption.handle(.interrupt)
        #expect(interruption.handle(.answer("yes please")) == .askAgain)
        #expect(interruption.state == .asking)
        #expect(interruption.handle(.answer("c")) == .cancel)
    }

    @Test func aCtrlCWhileTheCancelRunsStopsWaiting() {
        var interruption = Interruption(canAsk: true)
        _ = interruption.handle(.interrupt)
        _ = interruption.handle(.answer("c"))
        #expect(interruption.handle(.interrupt) == .detach)
    }

    @Test func withoutATerminalCtrlCCancelsAtOnceAndASecondStopsWaiting() {
        var interruption = Interruption(canAsk: false)
        #expect(interruption.handle(.interrupt) == .cancel)
        #expect(interruption.handle(.interrupt) == .detach)
    }

    @Test func answersNobodyAskedForAreIgnored() {
        var interruption = Interruption(canAsk: true)
        #expect(interruption.handle(.answer("c")) == .ignore)
        #expect(interruption.handle(.endOfInput) == .ignore)
        #expect(interruption.state == .following)
    }

    @Test func theQuestionNamesTheTaskAndHowToFollowIt() {
        let question = Interruption.question(what: "the backup of VM web01", taskID: "T1")
        #expect(question.hasPrefix("The backup of VM web01 is still running (task T1)."))
        #expect(question.contains("vmbackup task T1 --wait"))
        #expect(question.hasSuffix("[c/l/Enter]: "))
    }
}
