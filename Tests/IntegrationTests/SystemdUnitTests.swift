import Foundation
import Testing

extension Integration {
    /// The systemd unit, the man pages and `make install`, checked with systemd's and groff's own
    /// tools against what `make install` really installs.
    @Suite struct SystemdUnitTests {
        @Test(arguments: ["/usr/local", "/usr"])
        func theInstalledUnitPassesSystemdAnalyzeVerify(prefix: String) throws {
            let tree = try InstallTree(prefix: prefix)
            defer { tree.remove() }
            let verify = try tree.verify()
            #expect(verify.passed, "systemd-analyze verify:\n\(verify.report)")
        }

        @Test(arguments: ["/usr/local", "/usr"])
        func theUnitStartsTheDaemonWhereItWasInstalled(prefix: String) throws {
            let tree = try InstallTree(prefix: prefix)
            defer { tree.remove() }
            let expectedUnitDirectory = prefix == "/usr" ? "/lib/systemd/system" : "/usr/local/lib/systemd/system"
            #expect(tree.unitPath == tree.root + expectedUnitDirectory + "/vmbackupd.service")
            let unit = try tree.installedUnit()
            #expect(unit.contains("\nExecStart=\(prefix)/sbin/vmbackupd --config /etc/vmbackup/vmbackupd.toml\n"))
            #expect(unit.contains("\nDocumentation=file://\(prefix)/share/doc/vmbackup/README.md\n"))
            #expect(FileManager.default.isExecutableFile(atPath: tree.root + prefix + "/sbin/vmbackupd"))
            #expect(FileManager.default.isExecutableFile(atPath: tree.root + prefix + "/bin/vmbackup"))
            // Only the paths differ from the unit in the repository.
            let shipped = try String(contentsOfFile: InstallTree.shippedUnitPath, encoding: .utf8)
            #expect(unit == shipped.replacingOccurrences(of: "/usr/local/", with: prefix + "/"))
        }

        /// The verification is not vacuous: each of these breakages of the installed unit fails it.
        @Test func aBrokenUnitFailsVerification() throws {
            let tree = try InstallTree(prefix: "/usr/local")
            defer { tree.remove() }
            let good = try tree.installedUnit()
            let breakages: [(what: String, from: String, to: String)] = [
                (
                    "a daemon that is not installed", "ExecStart=/usr/local/sbin/vmbackupd ",
                    "ExecStart=/usr/local/sbin/gone "
                ),
                ("a reload command that does not exist", "ExecReload=/bin/kill ", "ExecReload=/bin/gone "),
                ("a misspelt key", "ProtectSystem=strict", "ProtectSytem=strict"),
                ("a bad value", "ProtectSystem=strict", "ProtectSystem=sometimes"),
                ("an unknown section", "[Service]", "[Servce]"),
                ("a man page that is not installed", "man:vmbackupd(8)", "man:vmbackupd-gone(8)"),
                ("a required unit that does not exist", "\n[Unit]\n", "\n[Unit]\nRequires=vmbackup-gone.service\n"),
            ]
            for breakage in breakages {
                #expect(good.contains(breakage.from), "the unit no longer has \(breakage.from.debugDescription)")
                try tree.replaceInstalledUnit(with: good.replacingOccurrences(of: breakage.from, with: breakage.to))
                let verify = try tree.verify()
                #expect(!verify.passed, "systemd-analyze verify accepted \(breakage.what)")
            }
            try tree.replaceInstalledUnit(with: good)
            #expect(try tree.verify().passed)
        }

        @Test func theCapabilitiesAreOnesSystemdKnows() throws {
            let setting = try InstallTree.shippedUnitSetting("CapabilityBoundingSet")
            let names = setting.split(separator: " ").map(String.init)
            #expect(names.contains("CAP_SYS_ADMIN") && names.contains("CAP_CHOWN"))
            #expect(!names.contains { $0.hasPrefix("~") })
            // systemd-analyze verify ignores unknown names silently; this asks systemd about each.
            let known = try Shell.run(["systemd-analyze", "capability"] + names, check: false)
            #expect(known.status == 0, "\(known.stderr)")
            #expect(try Shell.run(["systemd-analyze", "capability", "CAP_SYS_ADMINN"], check: false).status != 0)
        }

        /// `systemd-analyze security` rates the sandbox 2.4 (0 is airtight, 10 is none); a change
        /// that loosens it fails here until the limit is raised on purpose.
        @Test func theSandboxStaysAsTightAsItIs() throws {
            let tree = try InstallTree(prefix: "/usr/local")
            defer { tree.remove() }
            let security = try Shell.run(
                [
                    "systemd-analyze", "security", "--offline=true", "--root=\(tree.root)", "--threshold=25",
                    "vmbackupd.service",
                ],
                check: false)
            #expect(security.status == 0, "\(security.stdout)\(security.stderr)")
        }

        @Test func makeInstallKeepsAnExistingConfigFile() throws {
            let tree = try InstallTree(prefix: "/usr/local", existingConfig: "# the administrator's\n")
            defer { tree.remove() }
            let config = tree.root + "/etc/vmbackup/vmbackupd.toml"
            #expect(try String(contentsOfFile: config, encoding: .utf8) == "# the administrator's\n")
            #expect(tree.makeOutput.contains("kept \(config)"))
            #expect(
                FileManager.default.fileExists(
                    atPath: tree.root + "/usr/local/share/doc/vmbackup/vmbackupd.toml.example"))
        }

        @Test func makeInstallInstallsTheConfigReadableByRootOnly() throws {
            let tree = try InstallTree(prefix: "/usr/local")
            defer { tree.remove() }
            let config = tree.root + "/etc/vmbackup/vmbackupd.toml"
            let attributes = try FileManager.default.attributesOfItem(atPath: config)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
            #expect(
                try String(contentsOfFile: config, encoding: .utf8)
                    == String(contentsOfFile: TestHost.packageRoot + "/Config/vmbackupd.toml", encoding: .utf8))
            for page in ["/usr/local/share/man/man8/vmbackupd.8", "/usr/local/share/man/man1/vmbackup.1"] {
                #expect(FileManager.default.fileExists(atPath: tree.root + page), "\(page)")
            }
            #expect(FileManager.default.fileExists(atPath: tree.root + "/usr/local/share/doc/vmbackup/README.md"))
            // A staging tree is not the host: its group database is not touched.
            #expect(tree.makeOutput.contains("DESTDIR is set: the group vmbackup is not created"))
        }

        @Test(arguments: [
            ("/usr/local", "/usr/local/share/zsh/site-functions"), ("/usr", "/usr/share/zsh/vendor-completions"),
        ])
        func makeInstallInstallsTheShellCompletions(prefix: String, zshDirectory: String) throws {
            let tree = try InstallTree(prefix: prefix)
            defer { tree.remove() }
            let files = [
                prefix + "/share/bash-completion/completions/vmbackup", zshDirectory + "/_vmbackup",
                prefix + "/share/fish/vendor_completions.d/vmbackup.fish",
            ]
            for file in files {
                let text = try String(contentsOfFile: tree.root + file, encoding: .utf8)
                // Each asks vmbackup itself for VM names and backups.
                #expect(text.contains("---completion backup -- positional@0"), "\(file)")
                let attributes = try FileManager.default.attributesOfItem(atPath: tree.root + file)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644, "\(file)")
            }
            let bash = try Shell.run(["bash", "-n", tree.root + files[0]], check: false)
            #expect(bash.status == 0, "\(bash.stderr)")
        }

        @Test(arguments: ["vmbackupd.8", "vmbackup.1"])
        func theManPageFormatsWithoutWarnings(page: String) throws {
            let path = TestHost.packageRoot + "/docs/man/" + page
            let groff = try Shell.run(["groff", "-man", "-Tutf8", "-ww", "-z", path], check: false)
            #expect(groff.status == 0 && groff.stderr.isEmpty, "groff: \(groff.stderr)")
            let man = try Shell.run(["man", "--warnings", "-l", path], environment: ["MANWIDTH": "80"], check: false)
            #expect(man.status == 0 && man.stderr.isEmpty, "man: \(man.stderr)")
        }
    }
}

/// `make install-files` into a fresh temporary root, plus what `systemd-analyze verify --root`
/// needs from the host around it: systemd's own units (the unit's implicit dependencies) and the
/// host programs the unit runs. The daemon, the CLI and the man pages are those installed.
private struct InstallTree {
    struct Verification {
        var passed: Bool
        var report: String
    }

    static let shippedUnitPath = TestHost.packageRoot + "/systemd/vmbackupd.service"
    private static let unitDirectories = [
        "/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
    ]

    let root: String
    let prefix: String
    let makeOutput: String

    init(prefix: String, existingConfig: String? = nil) throws {
        let root = try TestHost.makeWorkDirectory("unit")
        self.root = root
        self.prefix = prefix
        do {
            try FileManager.default.createDirectory(atPath: root + "/lib/systemd", withIntermediateDirectories: true)
            try Shell.run(["cp", "-a", "/lib/systemd/system", root + "/lib/systemd/"])
            // One installed on this host must not stand in for the one under test.
            try? FileManager.default.removeItem(atPath: root + "/lib/systemd/system/vmbackupd.service")
            if let existingConfig {
                try FileManager.default.createDirectory(
                    atPath: root + "/etc/vmbackup", withIntermediateDirectories: true)
                try existingConfig.write(
                    toFile: root + "/etc/vmbackup/vmbackupd.toml", atomically: true, encoding: .utf8)
            }
            makeOutput = try Shell.run([
                "make", "-C", TestHost.packageRoot, "--no-print-directory", "install-files", "DESTDIR=\(root)",
                "PREFIX=\(prefix)", "BUILD_DIR=\(TestHost.binDirectory)",
            ]).stdout
            try copyHostPrograms()
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
    }

    /// Where `make install-files` put the unit: one of the directories systemd loads units from.
    var unitPath: String? {
        Self.unitDirectories.map { root + $0 + "/vmbackupd.service" }.first {
            FileManager.default.fileExists(atPath: $0)
        }
    }

    func installedUnit() throws -> String {
        let path = try #require(unitPath, "make install-files installed no vmbackupd.service")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func replaceInstalledUnit(with text: String) throws {
        let path = try #require(unitPath)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `systemd-analyze verify` on the unit by name, as systemd finds it in the tree, with the man
    /// pages of the tree. Passing means exit status 0 and nothing printed: systemd reports unknown
    /// keys and bad values as warnings only.
    func verify() throws -> Verification {
        let output = try Shell.run(
            ["systemd-analyze", "verify", "--root=\(root)", "vmbackupd.service"],
            environment: ["MANPATH": root + prefix + "/share/man", "SYSTEMD_LOG_COLOR": "0"], check: false)
        let report = output.stdout + output.stderr
        return Verification(
            passed: output.status == 0 && report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            report: "exit status \(output.status)\n\(report)")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The value of `key` in the unit in the repository (its last assignment).
    static func shippedUnitSetting(_ key: String) throws -> String {
        let text = try String(contentsOfFile: shippedUnitPath, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").last { $0.hasPrefix(key + "=") })
        return String(line.dropFirst(key.count + 1))
    }

    /// Copies each host program an `Exec…=` line of the installed unit runs and the tree lacks
    /// (`/bin/kill`, `/sbin/modprobe`) to the same path in the tree. A program this host lacks is
    /// left out, so that verification reports it.
    private func copyHostPrograms() throws {
        for line in try installedUnit().split(separator: "\n") where line.hasPrefix("Exec") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let command = line[line.index(after: equals)...].drop(while: { "-+@:!".contains($0) })
            guard let program = command.split(separator: " ").first.map(String.init), program.hasPrefix("/") else {
                continue
            }
            let destination = root + program
            let source = URL(fileURLWithPath: program).resolvingSymlinksInPath().path
            guard !FileManager.default.fileExists(atPath: destination), FileManager.default.fileExists(atPath: source)
            else { continue }
            try FileManager.default.createDirectory(
                atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        }
    }
}
