import APIModel
import Config
import Foundation
import Testing

@Suite struct DaemonConfigTests {
    @Test func anEmptyFileGivesTheDefaults() throws {
        let config = try DaemonConfig.parse("", file: "empty.toml")
        #expect(config == DaemonConfig())
        #expect(config.socketPath == "/run/vmbackup/vmbackupd.sock")
        #expect(config.effectiveTargetDirectory == "/var/lib/vmbackup/backups")
    }

    @Test func everyKeyIsRead() throws {
        let config = try DaemonConfig.parse(
            """
            [daemon]
            socket = "/tmp/s.sock"
            state_dir = "/srv/state"
            libvirt_uri = "qemu:///session"
            log_level = "debug"
            task_history_days = 3
            [target]
            directory = "/backups"
            [backup]
            quiesce = "required"
            agent_timeout = 3
            freeze_timeout = 7
            lvm_snapshot_percent = 5
            lvm_snapshot_min_mib = 4
            """, file: "full.toml")
        #expect(config.socketPath == "/tmp/s.sock")
        #expect(config.stateDirectory == "/srv/state")
        #expect(config.libvirtURI == "qemu:///session")
        #expect(config.logLevel == "debug")
        #expect(config.taskHistoryDays == 3)
        #expect(config.effectiveTargetDirectory == "/backups")
        #expect(config.quiesce == .required)
        #expect(config.agentTimeoutSeconds == 3)
        #expect(config.freezeTimeoutSeconds == 7)
        #expect(config.lvmSnapshotPercent == 5)
        #expect(config.lvmSnapshotMinimumMiB == 4)
    }

    @Test func everyProblemIsReportedWithItsLine() {
        let text = """
            [daemon]
            socket = "relative.sock"
            colour = "blue"

            [backup]
            quiesce = "sometimes"
            agent_timeout = 0
            freeze_timeout = "soon"
            [nonsense]
            """
        do {
            _ = try DaemonConfig.parse(text, file: "bad.toml")
            Issue.record("expected errors")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix("bad.toml:2: 'socket' must be an absolute path") })
            #expect(lines.contains("bad.toml:3: unknown key 'colour' in [daemon]"))
            #expect(lines.contains { $0.hasPrefix("bad.toml:6: 'quiesce' must be one of required, preferred, off") })
            #expect(lines.contains { $0.hasPrefix("bad.toml:7: 'agent_timeout' must be an integer") })
            #expect(lines.contains { $0.hasPrefix("bad.toml:8: 'freeze_timeout' must be an integer") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("bad.toml:9: unknown section [nonsense]") })
            #expect(error.issues.count == 6)
        }
    }

    @Test func lvmSnapshotSizesAreBounded() {
        do {
            _ = try DaemonConfig.parse(
                "[backup]\nlvm_snapshot_percent = 150\nlvm_snapshot_min_mib = 0\n", file: "b.toml")
            Issue.record("expected errors")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(
                lines.contains { $0.hasPrefix("b.toml:2: 'lvm_snapshot_percent' must be an integer from 1 to 100") })
            #expect(lines.contains { $0.hasPrefix("b.toml:3: 'lvm_snapshot_min_mib' must be an integer from 1 to") })
        }
    }

    @Test func aSyntaxErrorNamesItsLine() {
        do {
            _ = try DaemonConfig.parse("[daemon]\nsocket = \n", file: "syntax.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.line == 2)
        }
    }

    @Test func aMissingFileIsAClearError() {
        do {
            _ = try DaemonConfig.load(path: "/nonexistent/vmbackupd.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/vmbackupd.toml: cannot read"))
        }
    }
}

@Suite struct VMRuleConfigTests {
    @Test func vmSectionsAreReadInOrder() throws {
        let config = try DaemonConfig.parse(
            """
            [[vm]]
            name = "db01"
            exclude = ["vdc"]
            quiesce = "required"
            [vm.methods]
            vdb = "lvm"

            [[vm]]
            glob = "web-*"
            include = ["vda"]
            """, file: "vms.toml")
        #expect(
            config.vms == [
                VMRule(selector: .name("db01"), exclude: ["vdc"], methods: ["vdb": .lvm], quiesce: .required),
                VMRule(selector: .glob("web-*"), include: ["vda"]),
            ])
    }

    @Test func everyProblemOfAVMSectionIsReported() {
        let text = """
            [[vm]]
            name = "db01"
            glob = "db*"
            include = ["vda"]
            exclude = ["vda"]
            colour = "red"
            [vm.methods]
            vdb = "zfs"
            """
        do {
            _ = try DaemonConfig.parse(text, file: "bad.toml")
            Issue.record("expected errors")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.contains("exactly one of name, uuid, glob or all") })
            #expect(lines.contains { $0.contains("disk vda is both included and excluded") })
            #expect(lines.contains("bad.toml:6: unknown key 'colour' in [[vm]]"))
            #expect(lines.contains { $0.hasPrefix("bad.toml:8: 'vdb' must be one of qcow2, lvm, btrfs") })
        }
    }

    @Test func theExampleConfigFileIsValid() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let config = try DaemonConfig.load(path: url.path + "/Config/vmbackupd.toml")
        #expect(config.effectiveTargetDirectory == "/var/lib/vmbackup/backups")
    }
}
