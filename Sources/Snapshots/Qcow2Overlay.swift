import APIModel
import Blocking
import Libvirt
import Logging

/// The `qcow2` method: a libvirt external disk-only snapshot moves the running guest onto a new
/// overlay per disk, so the previous top image is read-only and becomes the backupSource; release
/// commits the overlay back, pivots and deletes it.
public struct Qcow2Overlay: SnapshotMethod {
    let domain: Domain
    let executor: BlockingExecutor
    let logger: Logger
    /// How long `release` waits for a block commit to be ready and pivoted before aborting it.
    let commitTimeout: Duration
    /// How a commit that cannot catch up with the guest's writes is noticed and pivoted anyway.
    let convergence: CommitConvergence

    public init(
        domain: Domain, executor: BlockingExecutor, logger: Logger, commitTimeout: Duration = .seconds(600),
        convergence: CommitConvergence = .standard
    ) {
        self.domain = domain
        self.executor = executor
        self.logger = logger
        self.commitTimeout = commitTimeout
        self.convergence = convergence
    }

    public init(_ environment: SnapshotEnvironment) {
        self.init(domain: environment.domain, executor: environment.executor, logger: environment.logger)
    }

    public static var methodName: SnapshotMethodName { .qcow2 }

    public static func impossibility(kind: DiskKind, facts: DiskFacts) -> String? {
        kind == .file ? nil : "it is a block device, not a file"
    }

    /// Any file that no method before it in ``SnapshotMethods/registered`` took.
    public static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool { kind == .file }

    /// Where the overlay of `image` for one backup lives: beside the image, under a name that
    /// recovery recognises, `<image-dir>/<image-file>.vmbackup-<backupID>.overlay`.
    public static func overlayPath(for image: String, backupID: String) -> String {
        "\(image).vmbackup-\(backupID).overlay"
    }

    /// Runs one blocking libvirt call on the executor.
    ///
    /// When the connection to libvirtd was lost, waits until it is back (bounded, see
    /// ``Domain/awaitReconnection(executor:logger:backoff:)``) and then throws the call's error all
    /// the same: its reply was lost, so whether it was carried out is not known, and the call is
    /// not made again here. The step it belongs to decides what is safe to repeat.
    func libvirt<T: Sendable>(_ body: @escaping @Sendable (Domain) throws(LibvirtError) -> T) async throws -> T {
        let domain = domain
        do {
            return try await executor.run { try body(domain) }
        } catch let error as LibvirtError where error.isConnectionLost {
            try? await domain.awaitReconnection(executor: executor, logger: logger)
            throw error
        }
    }

    /// The disks of the domain's live definition.
    func liveDisks() async throws -> [DomainDisk] {
        let xml = try await libvirt { domain throws(LibvirtError) in try domain.xmlDescription() }
        return try DomainXML.disks(fromDomainXML: xml)
    }
}
