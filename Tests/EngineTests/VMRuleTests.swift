import APIModel
import Testing

@Suite struct VMRuleTests {
    let rules = [
        VMRule(selector: .name("db01"), exclude: ["vdc"], methods: ["vdb": .lvm, "vda": .qcow2], quiesce: .required),
        VMRule(selector: .glob("web-*"), include: ["vda"]),
        VMRule(selector: .all, quiesce: .off),
    ]

    @Test func theFirstMatchingRuleFillsWhatTheRequestLeavesOpen() {
        let merged = BackupRequest().applying(rules, name: "db01", uuid: "u")
        #expect(merged == BackupRequest(exclude: ["vdc"], quiesce: .required, methods: ["vdb": .lvm, "vda": .qcow2]))
        #expect(BackupRequest().applying(rules, name: "web-3", uuid: "u") == BackupRequest(disks: ["vda"]))
        #expect(BackupRequest().applying(rules, name: "mail", uuid: "u") == BackupRequest(quiesce: .off))
    }

    @Test func theRequestWins() {
        let request = BackupRequest(exclude: [], quiesce: .off, methods: ["vdb": .qcow2])
        let merged = request.applying(rules, name: "db01", uuid: "u")
        #expect(merged == BackupRequest(exclude: [], quiesce: .off, methods: ["vdb": .qcow2, "vda": .qcow2]))
    }

    @Test func uuidsMatchWhateverTheirCase() {
        let rule = VMRule(selector: .uuid("8AB696C5-9E01-4A5C-9D6C-2E471893E57F"))
        #expect(rule.matches(name: "x", uuid: "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"))
        #expect(!rule.matches(name: "x", uuid: "00000000-9e01-4a5c-9d6c-2e471893e57f"))
    }
}
