import APIModel
import Hummingbird

/// One endpoint of the socket API: a method on a path and what answers it.
struct ControlRoute: Sendable {
    typealias Handler = @Sendable (Request, ControlRequestContext) async throws -> Response

    var method: HTTPRequest.Method
    /// Hummingbird's path pattern: `/v1/tasks/:id` (`/v1/tasks/{id}` in docs/openapi.yaml).
    var path: String
    /// The query parameters the endpoint takes; any other is refused with 400.
    var query: [String]
    var handle: Handler

    /// An endpoint that takes no query parameters: any is refused with 400.
    init(method: HTTPRequest.Method, path: String, handle: @escaping Handler) {
        self.init(method: method, path: path, query: []) { request, context, _ in
            try await handle(request, context)
        }
    }

    /// An endpoint that takes the query parameters named in `query`: any other is refused with 400.
    init(
        method: HTTPRequest.Method, path: String, query known: [String],
        handle: @escaping @Sendable (Request, ControlRequestContext, RequestQuery) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.query = known
        self.handle = { request, context in
            try await handle(request, context, try RequestQuery(request, known: known))
        }
    }

    /// Every endpoint, each answered by `controller`. Each is described in docs/openapi.yaml, which
    /// ControlAPITests compare with this table.
    static func all(answeredBy controller: some BackupController) -> [ControlRoute] {
        backupRoutes(answeredBy: controller) + exportRoutes(answeredBy: controller) + [
            ControlRoute(method: .get, path: "/v1/vms") { _, _ in
                try .json(await controller.vms())
            },
            ControlRoute(method: .get, path: "/v1/instant") { _, _ in
                try .json(await controller.instantCopies())
            },
            ControlRoute(method: .post, path: "/v1/instant/:domain/keep") { _, context in
                try .json(await controller.keepInstantCopy(try context.pathParameter("domain")))
            },
            ControlRoute(method: .delete, path: "/v1/instant/:domain") { _, context in
                try .json(await controller.discardInstantCopy(try context.pathParameter("domain")))
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
            ControlRoute(method: .get, path: "/metrics") { _, _ in
                .prometheus(await controller.metrics())
            },
            ControlRoute(method: .get, path: "/v1/openapi.json") { _, _ in
                .openAPIDocument
            },
        ]
    }

    /// The endpoints under `/v1/vms/{vm}`: backups, their restore and verification, and retention.
    /// A `{id}` (and `?parent=`) is a backup's id, its name or `latest`, resolved by the controller.
    private static func backupRoutes(answeredBy controller: some BackupController) -> [ControlRoute] {
        [
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups") { request, context in
                let backupRequest = try BackupRequest.decodeBody(try await context.body(of: request))
                let task = try await controller.startBackup(vm: try context.pathParameter("vm"), request: backupRequest)
                return try .json(task, status: .accepted, headers: [.location: "/v1/tasks/\(task.id)"])
            },
            ControlRoute(method: .get, path: "/v1/vms/:vm/backups", query: ["parent"]) { _, context, query in
                try .json(
                    await controller.listBackups(vm: try context.pathParameter("vm"), parent: query.value("parent")))
            },
            ControlRoute(method: .get, path: "/v1/vms/:vm/backups/:id") { _, context in
                try .json(
                    await controller.backup(vm: try context.pathParameter("vm"), id: try context.pathParameter("id")))
            },
            ControlRoute(method: .put, path: "/v1/vms/:vm/backups/:id") { request, context in
                let update = try BackupUpdate.decodeChange(try await context.body(of: request))
                return try .json(
                    await controller.updateBackup(
                        vm: try context.pathParameter("vm"), id: try context.pathParameter("id"), update: update))
            },
            ControlRoute(method: .delete, path: "/v1/vms/:vm/backups/:id", query: ["children"]) { _, context, query in
                let children = try ChildrenDeletion.requested(in: query)
                return try .json(
                    await controller.deleteBackup(
                        vm: try context.pathParameter("vm"), id: try context.pathParameter("id"), children: children))
            },
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups/:id/restore") { request, context in
                let restoreRequest = try RestoreRequest.decodeBody(try await context.body(of: request))
                let task = try await controller.startRestore(
                    vm: try context.pathParameter("vm"), id: try context.pathParameter("id"), request: restoreRequest)
                return try .json(task, status: .accepted, headers: [.location: "/v1/tasks/\(task.id)"])
            },
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups/:id/drill") { request, context in
                _ = try EmptyRequest.decodeBody(try await context.body(of: request))
                let task = try await controller.startDrill(
                    vm: try context.pathParameter("vm"), id: try context.pathParameter("id"))
                return try .json(task, status: .accepted, headers: [.location: "/v1/tasks/\(task.id)"])
            },
            ControlRoute(method: .get, path: "/v1/vms/:vm/drills") { _, context in
                try .json(await controller.drills(vm: try context.pathParameter("vm")))
            },
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups/:id/verify") { request, context in
                _ = try EmptyRequest.decodeBody(try await context.body(of: request))
                let task = try await controller.startVerify(
                    vm: try context.pathParameter("vm"), id: try context.pathParameter("id"))
                return try .json(task, status: .accepted, headers: [.location: "/v1/tasks/\(task.id)"])
            },
            ControlRoute(method: .post, path: "/v1/vms/:vm/prune") { request, context in
                let pruneRequest = try PruneRequest.decodeBody(try await context.body(of: request))
                return try .json(await controller.prune(vm: try context.pathParameter("vm"), request: pruneRequest))
            },
        ]
    }
}
