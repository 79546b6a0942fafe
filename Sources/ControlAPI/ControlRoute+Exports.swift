import APIModel
import Hummingbird

extension ControlRoute {
    /// The export endpoints: mount a backup's disk, list, show and stop exports.
    static func exportRoutes(answeredBy controller: some ExportController) -> [ControlRoute] {
        [
            ControlRoute(method: .post, path: "/v1/vms/:vm/backups/:id/mount") { request, context in
                let mountRequest = try MountRequest.decodeBody(try await context.body(of: request))
                let export = try await controller.mount(
                    vm: try context.pathParameter("vm"), id: try context.pathParameter("id"), request: mountRequest)
                return try .json(export, status: .created, headers: [.location: "/v1/exports/\(export.id)"])
            },
            ControlRoute(method: .get, path: "/v1/exports") { _, _ in
                try .json(await controller.exports())
            },
            ControlRoute(method: .get, path: "/v1/exports/:id") { _, context in
                try .json(await controller.export(id: try context.pathParameter("id")))
            },
            ControlRoute(method: .delete, path: "/v1/exports/:id") { _, context in
                try .json(await controller.unmount(id: try context.pathParameter("id")))
            },
        ]
    }
}
