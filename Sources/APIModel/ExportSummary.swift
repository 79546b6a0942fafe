import Foundation

/// One stored disk served read-only over NBD on a Unix socket (`vmbackup mount`): what
/// `POST /v1/vms/{vm}/backups/{id}/mount`, `GET /v1/exports` and `DELETE /v1/exports/{id}` answer.
///
/// An export lasts until it is stopped (`DELETE /v1/exports/{id}`) or the daemon stops; it never
/// survives a restart. While it lasts, its backup is neither deleted nor pruned.
public struct ExportSummary: Codable, Sendable, Equatable {
    /// The export's id, for `DELETE /v1/exports/{id}` and `vmbackup unmount`.
    public var id: String
    public var vmName: String
    public var vmUUID: String
    /// The id of the backup whose disk is served.
    public var backupID: String
    /// The backup's name, when it has one.
    public var backupName: String?
    /// The disk's target dev: `vda`.
    public var disk: String
    /// The disk's guest-visible size, in bytes, as the NBD export has it.
    public var virtualSize: UInt64?
    /// The Unix socket qemu-nbd listens on.
    public var socket: String
    /// The export as an NBD URI: `nbd+unix:///?socket=/run/vmbackup/nbd/....sock`.
    public var uri: String
    public var started: Date

    public init(
        id: String, vmName: String, vmUUID: String, backupID: String, backupName: String? = nil, disk: String,
        virtualSize: UInt64? = nil, socket: String, uri: String, started: Date
    ) {
        self.id = id
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.backupID = backupID
        self.backupName = backupName
        self.disk = disk
        self.virtualSize = virtualSize
        self.socket = socket
        self.uri = uri
        self.started = started
    }

    /// The NBD URI of the default (unnamed) export on the Unix socket `socket` (the NBD URI
    /// specification's `nbd+unix` scheme), as qemu-img, nbdcopy, nbdinfo and guestfish take it.
    /// Characters other than ASCII letters, digits and `-._~/` are percent-encoded.
    public static func uri(socket: String) -> String {
        "nbd+unix:///?socket=" + (socket.addingPercentEncoding(withAllowedCharacters: uriPathCharacters) ?? socket)
    }

    private static let uriPathCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
}
