import APIModel
import Foundation
import Hummingbird

/// One endpoint of the socket API: a method on a path and what answers it.
struct ControlRoute: Sendable {
    typealias Handler = @Sendable (Request, ControlRequestContext) async throws -> Response

    var method: HTTPRequest.Method
    var path: String
    var handle: Handler

    /// Every endpoint, each answered by `controller`.
    static func all(answeredBy controller: some BackupController) -> [ControlRoute] {
        [
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups") { request, context in
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let backupRequest = try BackupRequest.decodeBody(Data(body.readableBytesView))
                let task = try await controller.startBackup(vm: try context.pathParameter("vm"), request: backupRequest)
                return try .json(task, status: .accepted, headers: [.location: "/v1/tasks/\(task.id)"])
            },
            ControlRoute(method: .get, path: "/v1/vms/:vm/backups") { _, context in
                try .json(await controller.listBackups(vm: try context.pathParameter("vm")))
            },
            ControlRoute(method: .get, path: "/v1/vms/:vm/backups/:id") { _, context in
                try .json(
                    await controller.backup(vm: try context.pathParameter("vm"), id: try context.pathParameter("id")))
            },
            ControlRoute(method: .get, path: "/v1/tasks") { _, _ in
                try .json(await controller.tasks())
            },
            ControlRoute(method: .get, path: "/v1/tasks/:id") { _, context in
                try .json(await controller.task(id: try context.pathParameter("id")))
            },
            ControlRoute(method: .delete, path: "/v1/tasks/:id") { _, context in
                try .json(await controller.cancelTask(id: try context.pathParameter("id")))
            },
            ControlRoute(method: .get, path: "/v1/status") { _, _ in
                try .json(await controller.status())
            },
        ]
    }
}

extension ControlRequestContext {
    /// A path parameter, percent-decoded: a VM may be named `web 01`.
    func pathParameter(_ name: String) throws(APIErrorInfo) -> String {
        guard let raw = parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw APIErrorInfo(.badRequest, "invalid \(name) in the request path")
        }
        return value
    }
}
