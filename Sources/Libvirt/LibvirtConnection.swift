import CLibvirt
import Foundation

/// A connection to a libvirt daemon. libvirt connections are thread-safe, so one may be shared.
public final class LibvirtConnection: @unchecked Sendable {
    public let uri: String
    let pointer: virConnectPtr

    /// Opens a read-write connection. Blocks while libvirt connects.
    ///
    /// Wraps `virConnectOpen`.
    public init(uri: String) throws(LibvirtError) {
        LibvirtLibrary.setUp
        guard let pointer = virConnectOpen(uri) else {
            throw LibvirtError.last(call: "virConnectOpen")
        }
        self.uri = uri
        self.pointer = pointer
    }

    deinit {
        virConnectClose(pointer)
    }

    /// The domain with this UUID (if the string parses as one) or else this name.
    ///
    /// Wraps `virDomainLookupByUUIDString` and `virDomainLookupByName`.
    public func lookupDomain(_ nameOrUUID: String) throws(LibvirtError) -> Domain {
        if UUID(uuidString: nameOrUUID) != nil {
            guard let domain = virDomainLookupByUUIDString(pointer, nameOrUUID) else {
                throw LibvirtError.last(call: "virDomainLookupByUUIDString")
            }
            return try Domain(owning: domain, uri: uri)
        }
        guard let domain = virDomainLookupByName(pointer, nameOrUUID) else {
            throw LibvirtError.last(call: "virDomainLookupByName")
        }
        return try Domain(owning: domain, uri: uri)
    }

    /// The names of all domains this connection knows, defined and transient, running or not.
    ///
    /// Wraps `virConnectListAllDomains`.
    public func listDomainNames() throws(LibvirtError) -> [String] {
        var list: UnsafeMutablePointer<virDomainPtr?>?
        let count = virConnectListAllDomains(pointer, &list, 0)
        guard count >= 0, let list else {
            throw LibvirtError.last(call: "virConnectListAllDomains")
        }
        defer { free(list) }
        var names: [String] = []
        for index in 0..<Int(count) {
            guard let domain = list[index] else { continue }
            if let name = virDomainGetName(domain) {
                names.append(String(cString: name))
            }
            virDomainFree(domain)
        }
        return names.sorted()
    }
}
