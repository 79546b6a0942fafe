import APIModel
import Foundation

/// A local HTTP listener that keeps the body of every POST it gets, one JSON notice per line, and
/// answers 204: what a webhook receiver sees.
final class WebhookListener {
    let url: String
    private let process: Process
    private let folder: String
    private let received: String

    init() throws {
        folder = try TestHost.makeWorkDirectory("webhook")
        received = folder + "/received"
        let portFile = folder + "/port"
        let script = """
            import http.server, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    with open(sys.argv[1], "ab") as f:
                        f.write(self.headers.get("Content-Type", "").encode() + b"\\t" + body + b"\\n")
                    self.send_response(204)
                    self.end_headers()
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            open(sys.argv[2], "w").write(str(server.server_address[1]))
            server.serve_forever()
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, received, portFile]
        // Not the test's own output: a listener left running would keep it open.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: String?
        for _ in 0..<100 {
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
            if port?.isEmpty == false { break }
            usleep(50_000)
        }
        guard let port, !port.isEmpty else {
            kill(process.processIdentifier, SIGKILL)
            throw Shell.Failure(command: ["webhook listener"], output: .init(status: 1, stdout: "", stderr: "no port"))
        }
        url = "http://127.0.0.1:\(port)/hooks/vmbackup"
    }

    deinit {
        // SIGKILL: the test process may pass SIGTERM on ignored.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The notices received so far, in order, with the Content-Type each came with.
    func notices() throws -> [(contentType: String, notice: JobNotice)] {
        let text = (try? String(contentsOfFile: received, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), try APIJSON.decoder().decode(JobNotice.self, from: Data(parts[1].utf8)))
        }
    }

    /// Waits until `count` notices arrived (or 20 s passed) and returns them.
    func waitForNotices(_ count: Int) throws -> [(contentType: String, notice: JobNotice)] {
        for _ in 0..<200 {
            if try notices().count >= count { break }
            usleep(100_000)
        }
        return try notices()
    }
}

/// A stand-in for `sendmail`: keeps its arguments and each mail it is handed, or fails with
/// `exitStatus` after reading it. Its folder goes with it.
final class SendmailStandIn {
    let path: String
    let folder: String

    init(exitStatus: Int32 = 0) throws {
        folder = try TestHost.makeWorkDirectory("sendmail")
        path = folder + "/sendmail"
        try """
        #!/bin/sh
        n=$(ls \(folder) | grep -c '^mail-')
        echo "$@" > \(folder)/args
        cat > \(folder)/mail-$n
        exit \(exitStatus)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The mails handed over so far, oldest first.
    func mails() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("mail-") }
            .sorted { Int($0.dropFirst(5)) ?? 0 < Int($1.dropFirst(5)) ?? 0 }
        return names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }
}
