import CLibvirt
import Foundation

/// libvirt's default event loop, run on a thread of its own (it blocks in `poll`, so it stays off
/// Swift's cooperative pool). Domain events and keepalive need it; every connection opened after
/// ``start()`` is served by it, so a libvirtd that goes away is noticed at once, not at the next
/// call.
///
/// Start it only in a process that keeps it running: once it is registered, libvirtd pings the
/// connections with keepalive messages and closes those that do not answer, and only a running
/// loop answers for an idle connection.
public enum LibvirtEventLoop {
    /// Registers the default event loop and starts its thread; later calls do nothing.
    ///
    /// Wraps `virEventRegisterDefaultImpl` and `virEventRunDefaultImpl`.
    public static func start() {
        _ = started
    }

    private static let started: Void = {
        LibvirtLibrary.setUp
        guard virEventRegisterDefaultImpl() == 0 else { return }
        let thread = Thread {
            while true {
                _ = virEventRunDefaultImpl()
            }
        }
        thread.name = "libvirt-events"
        thread.start()
    }()
}
