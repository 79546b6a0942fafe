import APIModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TaskFollower {
    /// How following a task with Ctrl-C handled ended.
    enum Ending {
        /// The task finished (cancelled, when Ctrl-C asked for it).
        case finished(DaemonClient.Answer<TaskInfo>)
        /// Ctrl-C left the task running; the command stops following it.
        case detached
    }

    private enum Event: Sendable {
        case poll
        case interrupt
        /// A line from stdin; `nil` at its end.
        case answer(String?)
    }

    /// Follows `task` to its end as ``follow(taskID:)`` does, with Ctrl-C handled as
    /// ``Interruption`` decides: asked on a terminal, cancelling without one. `interrupts` yields
    /// each SIGINT (see ``SignalStream``), made before the task was started so that no Ctrl-C is
    /// lost.
    func follow(
        _ task: TaskInfo, interrupts: AsyncStream<Int32>, canAsk: Bool = isatty(STDIN_FILENO) == 1
    ) async throws -> Ending {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let interval = self.interval
        let forwarder = Task {
            for await _ in interrupts { sink.yield(.interrupt) }
        }
        let poller = Task {
            while !Task.isCancelled {
                sink.yield(.poll)
                try? await Task.sleep(for: interval)
            }
        }
        defer {
            forwarder.cancel()
            poller.cancel()
            sink.finish()
        }
        let what = "the \(task.kind) of VM \(task.vm)"
        var interruption = Interruption(canAsk: canAsk)
        var progress = ProgressDrawing(style: progressStyle)
        defer { progress.clear() }
        for await event in events {
            let action: Interruption.Action
            switch event {
            case .poll:
                let answer = try await client.task(id: task.id)
                if answer.value.state.isFinished { return .finished(answer) }
                if interruption.state != .asking { progress.draw(answer.value) }
                continue
            case .interrupt:
                action = interruption.handle(.interrupt)
            case .answer(let line):
                action = interruption.handle(line.map(Interruption.Event.answer) ?? .endOfInput)
            }
            switch action {
            case .ask, .askAgain:
                progress.clear()
                Terminal.writeError(
                    (action == .ask ? "\n" : "") + Interruption.question(what: what, taskID: task.id))
                Thread.detachNewThread { sink.yield(.answer(readLine())) }
            case .cancel:
                progress.clear()
                _ = try await client.cancelTask(id: task.id)
                Terminal.writeError(
                    "Cancelling \(what) (task \(task.id)); vmbackupd undoes its changes. "
                        + "Ctrl-C again stops waiting.\n")
            case .detach:
                progress.clear()
                Terminal.writeError(
                    "\nLeft \(what) running in vmbackupd; follow it with: vmbackup task \(task.id) --wait\n")
                return .detached
            case .resume, .ignore:
                break
            }
        }
        return .detached
    }
}
