import Foundation
import Synchronization
import Testing

extension Integration {
    /// The CLI's exchange with a real daemon, repeated: every run ends with the daemon's answer,
    /// never with a connection that broke after the answer arrived.
    @Suite struct CLIExchangeTests {
        /// A command and how it must end: its exit status and a piece of what it prints.
        struct Exchange: Sendable {
            var arguments: [String]
            var status: Int32
            var output: String
        }

        static let exchanges = [
            Exchange(arguments: ["status"], status: 0, output: "running"),
            Exchange(arguments: ["status", "--json"], status: 0, output: "{"),
            Exchange(arguments: ["task", "vmbt-no-such-task"], status: 4, output: "vmbt-no-such-task"),
            Exchange(arguments: ["backup", "vmbt-no-such-vm"], status: 4, output: "vmbt-no-such-vm"),
            Exchange(arguments: ["list", "vmbt-no-such-vm"], status: 4, output: "vmbt-no-such-vm"),
        ]

        @Test func everyRunEndsWithTheDaemonsAnswer() throws {
            let daemon = try Daemon.start()
            let cli = [TestHost.binDirectory + "/vmbackup", "--socket", daemon.socket]
            // Six at a time on two cores: a CLI preempted between the parts of its request used to
            // see the daemon's answer and close, then fail writing the rest (2 runs in 360 here).
            let rounds = 72
            let lanes = 6
            let runs = (0..<(rounds * Self.exchanges.count)).map { Self.exchanges[$0 % Self.exchanges.count] }
            let failures = Mutex<[String]>([])
            let done = DispatchGroup()
            for lane in 0..<lanes {
                done.enter()
                // A thread per lane: Dispatch would run no more lanes at once than there are cores.
                Thread {
                    defer { done.leave() }
                    for run in stride(from: lane, to: runs.count, by: lanes) {
                        if let failure = Self.check(runs[run], cli: cli) {
                            failures.withLock { $0.append("run \(run) \(failure)") }
                        }
                    }
                }.start()
            }
            done.wait()
            let failed = failures.withLock { $0 }
            withExtendedLifetime(daemon) {}
            #expect(
                failed.isEmpty, "\(failed.count) of \(runs.count) runs:\n\(failed.prefix(10).joined(separator: "\n"))")
        }

        /// Runs one exchange; returns what went wrong, or nil.
        private static func check(_ exchange: Exchange, cli: [String]) -> String? {
            do {
                let output = try Shell.run(cli + exchange.arguments, check: false)
                let printed = output.stdout + output.stderr
                guard output.status == exchange.status, printed.contains(exchange.output) else {
                    return "\(exchange.arguments) exited \(output.status): \(printed.prefix(300))"
                }
                return nil
            } catch {
                return "\(exchange.arguments): \(error)"
            }
        }
    }
}
