import APIModel
import Foundation
import Testing

@testable import ControlAPI

@Suite("The OpenAPI document")
struct OpenAPIDocumentTests {
    /// The route table as the daemon builds it.
    static let routes = ControlRoute.all(answeredBy: FakeBackupController())

    @Test func everyRouteIsDocumented() throws {
        let documented = try APIDescription().operations
        for route in Self.routes {
            #expect(documented[route.operation] != nil, "\(route.operation) is missing from docs/openapi.yaml")
        }
    }

    @Test func everyDocumentedOperationIsARoute() throws {
        let routed = Set(Self.routes.map(\.operation))
        for operation in try APIDescription().operations.keys {
            #expect(routed.contains(operation), "docs/openapi.yaml describes \(operation), which no route answers")
        }
    }

    @Test func eachRouteTakesTheQueryParametersDocumentedForIt() throws {
        let documented = try APIDescription().operations
        for route in Self.routes {
            guard let query = documented[route.operation] else { continue }
            #expect(Set(route.query) == query, "query parameters of \(route.operation)")
        }
    }

    @Test func everyErrorCodeIsDocumentedWithItsStatus() throws {
        let documented = try APIDescription().errorCodes
        #expect(Set(documented.keys) == Set(Self.everyErrorCode.map(\.rawValue)))
        for code in Self.everyErrorCode {
            #expect(documented[code.rawValue] == code.httpStatus, "status of \(code.rawValue)")
        }
    }

    @Test func theServedDocumentIsWhatTheYAMLGives() throws {
        let script = Self.repository.appendingPathComponent("scripts/openapi-json.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scripts/openapi-json.py --json failed")
        let same = String(decoding: data, as: UTF8.self) == OpenAPIDocument.json + "\n"
        #expect(same, "Sources/ControlAPI/OpenAPIDocument.swift differs from docs/openapi.yaml: run make openapi")
    }

    @Test func theDaemonServesTheDocumentAsJSON() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            let document = try APIDescription(json: String(decoding: reply.body, as: UTF8.self)).document
            #expect(document["openapi"] as? String == "3.1.0")
        }
    }

    /// The checkout this file is in.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every error code; the switch does not compile once a code is added and not listed here.
    static let everyErrorCode: [APIErrorCode] = {
        let all: [APIErrorCode] = [
            .badRequest, .notFound, .vmNotFound, .backupNotFound, .backupAmbiguous, .taskNotFound, .exportNotFound,
            .methodNotAllowed, .vmBusy, .vmRunning, .alreadyExists, .backupInUse, .nothingToBackUp,
            .agentUnavailable, .preconditionFailed, .freezeFailed, .snapshotFailed, .streamFailed, .mergeFailed,
            .restoreFailed, .drillFailed, .targetFailed, .verifyFailed, .hypervisorFailed, .cancelled, .shuttingDown,
            .tooManyConnections, .interrupted, .internal,
        ]
        for code in all {
            switch code {
            case .badRequest, .notFound, .vmNotFound, .backupNotFound, .backupAmbiguous, .taskNotFound,
                .exportNotFound, .methodNotAllowed, .vmBusy, .vmRunning, .alreadyExists, .backupInUse,
                .nothingToBackUp, .agentUnavailable, .preconditionFailed, .freezeFailed, .snapshotFailed,
                .streamFailed, .mergeFailed, .restoreFailed, .drillFailed, .targetFailed, .verifyFailed,
                .hypervisorFailed, .cancelled, .shuttingDown, .tooManyConnections, .interrupted, .internal:
                break
            }
        }
        return all
    }()
}
