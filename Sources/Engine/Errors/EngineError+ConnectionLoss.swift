import Libvirt
import Snapshots

extension EngineError {
    /// Whether `error`, or an error it wraps, says the connection to libvirtd was lost (libvirtd
    /// stopped or restarted): the step may be repeated once it is back, if the step is safe to
    /// repeat.
    public static func connectionLost(_ error: any Error) -> Bool {
        switch error {
        case let libvirt as LibvirtError: libvirt.isConnectionLost
        case let snapshot as SnapshotError: snapshot.cause.map(connectionLost) ?? false
        case let engine as EngineError: engine.cause.map(connectionLost) ?? false
        default: false
        }
    }
}
