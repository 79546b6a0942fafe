import Foundation

/// What Ctrl-C does while a command follows the task it started (`vmbackup backup VM --wait`).
/// Pure: it takes what happened and says what to do; ``TaskFollower`` does it.
///
/// With a terminal on stdin, the first Ctrl-C asks: cancel the task, leave it running, or keep
/// watching. A second Ctrl-C (while asked, or while the cancel is under way) leaves the task
/// running and stops following it. With no terminal on stdin there is no one to ask: Ctrl-C (a
/// SIGINT) cancels the task, as an interrupted restic or virtnbdbackup stops its backup, and a
/// second one stops waiting for the cancel to finish.
struct Interruption: Equatable {
    enum Event: Equatable {
        /// Ctrl-C (SIGINT).
        case interrupt
        /// A line typed in answer to the question.
        case answer(String)
        /// Stdin ended (Ctrl-D) before an answer.
        case endOfInput
    }

    enum Action: Equatable {
        /// Show the question and read an answer.
        case ask
        /// The answer was not understood: show the question again.
        case askAgain
        /// Cancel the task and follow it until its cleanup is done.
        case cancel
        /// Stop following; the task goes on in the daemon.
        case detach
        /// Go back to following the task.
        case resume
        /// Nothing to do (an answer nobody asked for).
        case ignore
    }

    enum State: Equatable {
        case following
        case asking
        case cancelling
    }

    /// Whether there is someone to ask: stdin is a terminal.
    let canAsk: Bool
    private(set) var state = State.following

    init(canAsk: Bool) {
        self.canAsk = canAsk
    }

    mutating func handle(_ event: Event) -> Action {
        switch (state, event) {
        case (.following, .interrupt):
            if canAsk {
                state = .asking
                return .ask
            }
            state = .cancelling
            return .cancel
        case (.asking, .interrupt), (.cancelling, .interrupt), (.asking, .endOfInput):
            return .detach
        case (.asking, .answer(let text)):
            switch Self.choice(text) {
            case .cancel?:
                state = .cancelling
                return .cancel
            case .leave?:
                return .detach
            case .watch?:
                state = .following
                return .resume
            case nil:
                return .askAgain
            }
        case (.following, .answer), (.following, .endOfInput), (.cancelling, .answer), (.cancelling, .endOfInput):
            return .ignore
        }
    }

    private enum Choice {
        case cancel, leave, watch
    }

    /// `c`/`cancel`, `l`/`leave`, or an empty line (keep watching); any case, spaces ignored.
    private static func choice(_ text: String) -> Choice? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "c", "cancel": .cancel
        case "l", "leave": .leave
        case "", "w", "watch": .watch
        default: nil
        }
    }

    /// The question, naming the task (`the backup of VM web01`).
    static func question(what: String, taskID: String) -> String {
        """
        \(what.prefix(1).uppercased() + what.dropFirst()) is still running (task \(taskID)).
          c      cancel it: vmbackupd undoes its snapshots and keeps nothing of it
          l      leave it running and return; follow it with: vmbackup task \(taskID) --wait
          Enter  keep watching
        Ctrl-C again leaves it running. [c/l/Enter]:\u{20}
        """
    }
}
