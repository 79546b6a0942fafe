import Testing

@testable import Engine

@Suite struct GuestAgentProbeTests {
    @Test func readsTheMountPointsOfGuestGetFSInfo() {
        let answer = #"""
            {"return":[{"name":"vdb","mountpoint":"/mnt/vdb","type":"ext4","disk":[]},
            {"name":"vda","mountpoint":"/mnt/vda","type":"ext4","disk":[]}]}
            """#
        #expect(GuestAgentProbe.mountPoints(fromFSInfo: answer) == ["/mnt/vda", "/mnt/vdb"])
        #expect(GuestAgentProbe.mountPoints(fromFSInfo: #"{"return":[]}"#) == [])
        #expect(GuestAgentProbe.mountPoints(fromFSInfo: "not json") == [])
    }
}
