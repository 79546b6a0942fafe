import Testing

/// Every integration suite runs inside this one, one test at a time: the guests share two
/// cores, and each test boots its own under software emulation.
@Suite(.serialized, .enabled(if: TestHost.isReady, "needs root and a running libvirtd: run `make test`"))
enum Integration {}
