import CLibvirt

extension LibvirtError {
    /// The error libvirt recorded for the call that just failed on this thread.
    ///
    /// Wraps `virGetLastError`. libvirt keeps the last error per thread, so this must run on the
    /// thread of the failing call, right after it.
    static func last(call: String) -> LibvirtError {
        guard let error = virGetLastError() else {
            return LibvirtError(code: -1, domain: -1, message: "failed without an error from libvirt", call: call)
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "no message from libvirt"
        return LibvirtError(code: error.pointee.code, domain: error.pointee.domain, message: message, call: call)
    }
}
