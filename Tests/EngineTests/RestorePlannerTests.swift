import APIModel
import Testing

@testable import Engine

/// Which requests name exactly one place to restore to, and what goes with each.
@Suite struct RestorePlannerTests {
    @Test func eachPlaceIsAMode() throws {
        #expect(try RestorePlanner.mode(of: RestoreRequest(to: "/srv")) == .files)
        #expect(try RestorePlanner.mode(of: RestoreRequest(to: "/srv", format: "raw")) == .files)
        #expect(try RestorePlanner.mode(of: RestoreRequest(as: "copy")) == .domain)
        #expect(try RestorePlanner.mode(of: RestoreRequest(to: "/srv", as: "copy", start: .running)) == .domain)
        #expect(try RestorePlanner.mode(of: RestoreRequest(as: "copy", instant: true)) == .domain)
        #expect(try RestorePlanner.mode(of: RestoreRequest(inPlace: true, force: true, start: .paused)) == .inPlace)
    }

    @Test(arguments: [
        (RestoreRequest(), "say where to restore"),
        (RestoreRequest(as: "copy", inPlace: true), "say where to restore"),
        (RestoreRequest(to: "/srv", inPlace: true), "say where to restore"),
        (RestoreRequest(inPlace: true, force: nil, start: nil).with(format: "raw"), "to and format do not go"),
        (RestoreRequest(to: "/srv", force: true), "force only goes with a restore in place"),
        (RestoreRequest(to: "/srv", format: "vmdk"), "format must be qcow2 or raw"),
        (RestoreRequest(to: "/srv", start: .running), "start needs a VM to start"),
        (RestoreRequest(to: "/srv", instant: true), "instant goes with as"),
        (RestoreRequest(format: "raw", as: "copy", instant: true), "instant goes with as"),
    ])
    func badCombinationsAreRefusedWithWhy(request: RestoreRequest, message: String) {
        let error = #expect(throws: EngineError.self) { try RestorePlanner.mode(of: request) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}

extension RestoreRequest {
    fileprivate func with(format: String) -> RestoreRequest {
        var copy = self
        copy.format = format
        return copy
    }
}
