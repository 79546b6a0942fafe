import Libvirt
import Testing

@Suite(.enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"))
struct LibvirtConnectionTests {
    @Test func lookingUpAMissingDomainByNameFailsWithNoDomain() throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        let error = #expect(throws: LibvirtError.self) {
            try connection.lookupDomain("vmbt-libvirt-does-not-exist")
        }
        #expect(error?.isNoDomain == true)
        #expect(error?.call == "virDomainLookupByName")
        #expect(error?.message.contains("vmbt-libvirt-does-not-exist") == true)
    }

    @Test func lookingUpAMissingDomainByUUIDUsesTheUUIDLookup() throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        let error = #expect(throws: LibvirtError.self) {
            try connection.lookupDomain("00000000-0000-4000-8000-00000000abcd")
        }
        #expect(error?.isNoDomain == true)
        #expect(error?.call == "virDomainLookupByUUIDString")
    }

    @Test func listingDomainsSucceeds() throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        let names = try connection.listDomainNames()
        #expect(names == names.sorted())
    }

    @Test func openingAnUnknownURIFailsWithTheCall() {
        let error = #expect(throws: LibvirtError.self) {
            try LibvirtConnection(uri: "nosuchdriver:///system")
        }
        #expect(error?.call == "virConnectOpen")
        #expect(error?.message.isEmpty == false)
    }
}
