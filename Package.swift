// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    // The build fails on any warning in vmbackup's own code.
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "vmbackup",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vmbackupd", targets: ["vmbackupd"]),
        .executable(name: "vmbackup", targets: ["vmbackup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, imported by exactly one Swift module.
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        .systemLibrary(name: "CLVM2Cmd", providers: [.apt(["liblvm2-dev"])]),
        .systemLibrary(name: "CBtrfsUtil", pkgConfig: "libbtrfsutil", providers: [.apt(["libbtrfsutil-dev"])]),
        .systemLibrary(name: "CNBD", pkgConfig: "libnbd", providers: [.apt(["libnbd-dev"])]),

        // The one pool of threads for blocking work, injected wherever something blocks.
        .target(
            name: "Blocking", dependencies: [.product(name: "NIOPosix", package: "swift-nio")], swiftSettings: strict),
        .target(name: "Libvirt", dependencies: ["CLibvirt"], swiftSettings: strict),
        .target(name: "LVM", dependencies: ["CLVM2Cmd"], swiftSettings: strict),
        .target(name: "Btrfs", dependencies: ["CBtrfsUtil"], swiftSettings: strict),
        .target(name: "NBD", dependencies: ["CNBD"], swiftSettings: strict),

        .target(name: "APIModel", swiftSettings: strict),
        // Log lines for journald (priority prefix) or a terminal, the metadata as logfmt.
        .target(
            name: "DaemonLogging", dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Snapshots",
            dependencies: [
                "Libvirt", "Btrfs", "LVM", "APIModel", "Blocking",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "Targets",
            dependencies: ["APIModel", "Blocking", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "Streaming",
            dependencies: [
                "NBD", "Snapshots", "Targets",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict),
        .target(
            name: "Engine",
            dependencies: [
                "Libvirt", "Btrfs", "LVM", "Snapshots", "Targets", "Streaming", "Catalog", "Scheduling", "APIModel",
                "Blocking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(name: "Scheduling", dependencies: ["APIModel"], swiftSettings: strict),
        .target(
            name: "Catalog",
            dependencies: ["Targets", "APIModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "Config",
            dependencies: ["APIModel", "Scheduling", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        .target(
            name: "ControlAPI",
            dependencies: [
                "APIModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "vmbackupd",
            dependencies: [
                "Engine", "ControlAPI", "Config", "APIModel", "Libvirt", "Snapshots", "Catalog", "Scheduling",
                "Targets", "DaemonLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "vmbackup",
            dependencies: [
                "APIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),

        .testTarget(
            name: "LibvirtTests",
            dependencies: [
                "Libvirt", "NBD", "Snapshots", "Blocking", "Engine", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LVMTests",
            dependencies: ["LVM", "Snapshots", "APIModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Runs the LVMSnapshot scenarios inside the kernel VM for LVMTests (which reads its JSON report).
        .executableTarget(
            name: "LVMSnapshotCheck",
            dependencies: ["LVM", "Snapshots", "APIModel", .product(name: "Logging", package: "swift-log")],
            path: "Tests/LVMSnapshotCheck",
            swiftSettings: strict),
        .testTarget(
            name: "BtrfsTests",
            dependencies: [
                "Btrfs", "Snapshots", "APIModel", "Blocking", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TargetsTests",
            dependencies: [
                "Targets", "APIModel", "Blocking", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(name: "StreamingTests", dependencies: ["Streaming", "NBD", "Targets"], swiftSettings: strict),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "APIModel", "Catalog", "Scheduling", "Snapshots", "Streaming", "Targets",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ConfigTests",
            dependencies: [
                "Config", "Scheduling", "APIModel", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "DaemonLoggingTests",
            dependencies: ["DaemonLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], swiftSettings: strict),
        .testTarget(
            name: "CatalogTests",
            dependencies: [
                "Catalog", "Targets", "APIModel", "Blocking", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ControlAPITests",
            dependencies: ["ControlAPI", "APIModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["vmbackup", "APIModel"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["APIModel", "Libvirt", "Targets"],
            swiftSettings: strict),
    ]
)
