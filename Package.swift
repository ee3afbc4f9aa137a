// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "newsroom",
    platforms: [.macOS(.v15)],  // v15: Synchronization.Mutex
    products: [
        .executable(name: "newsroom", targets: ["newsroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // C shims: headers and inline wrappers only.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Feed model, libxml2 parser, dates, feeds.json catalog: pure, no I/O but reading bytes.
        .target(name: "Feeds", dependencies: ["CLibXML2"], swiftSettings: strict),
        // Async HTTP client over libcurl, shared by the feed fetcher and the GitHub client.
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: strict),
        // The `Store` interface, its records and errors, and the embedded SQLite engine through GRDB.
        .target(name: "Storage", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // The PostgreSQL engine behind the same `Store` interface, for several instances on one database.
        .target(name: "PostgresStorage", dependencies: [
            "Storage",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            // For `ConnectionPoolError`, which PostgresNIO throws but does not re-export.
            .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // GitHub OAuth web flow and the REST calls the gate needs.
        .target(name: "GitHub", dependencies: [
            "Curl",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // A faithful local stand-in for GitHub's OAuth and REST endpoints.
        .target(name: "GitHubSandbox", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], swiftSettings: strict),
        // View models and Mustache rendering of every page (templates live in Resources/templates).
        .target(name: "Pages", dependencies: ["Curl", .product(name: "Mustache", package: "swift-mustache")], swiftSettings: strict),
        // The web app: composition root, routes, gate, pages, refresher.
        .target(name: "Newsroom", dependencies: [
            "Feeds", "Curl", "Storage", "PostgresStorage", "GitHub", "GitHubSandbox", "Pages",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: strict),
        // The command line, thin: parses arguments and calls into Newsroom's builder.
        .executableTarget(name: "newsroom", dependencies: [
            "Newsroom", "Feeds", "Storage", "PostgresStorage", "Curl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .executableTarget(name: "ParseBench", dependencies: ["Feeds"], path: "Benchmarks/ParseBench", swiftSettings: strict),

        // Test-only: a scripted loopback HTTP server (plain sockets) for client, refresher and feed tests.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        // Test-only: the real app on loopback (or in the router) with the GitHub sandbox, an injected clock,
        // log capture and cookie-keeping browsers; shared by the web-facing test targets.
        .target(name: "AppTestSupport", dependencies: [
            "Newsroom", "TestSupport", "GitHubSandbox", "Storage", "StorageTestSupport", "Curl", "GitHub",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "Tests/AppTestSupport", swiftSettings: strict),
        // Test-only: which storage engines the contract suite runs against, and a fresh store of each.
        .target(name: "StorageTestSupport", dependencies: ["Storage", "PostgresStorage"], path: "Tests/StorageTestSupport", swiftSettings: strict),
        .testTarget(name: "PostgresStorageTests", dependencies: ["PostgresStorage", "Storage", "StorageTestSupport"], swiftSettings: strict),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PagesTests", dependencies: ["Pages", .product(name: "Mustache", package: "swift-mustache")], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "PostgresStorage", "StorageTestSupport", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(name: "GitHubTests", dependencies: [
            "GitHub", "GitHubSandbox", "Curl",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "SignInTests", dependencies: [
            "Newsroom", "AppTestSupport", "TestSupport", "GitHubSandbox", "Storage", "GitHub", "Curl",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "ReaderTests", dependencies: [
            "Newsroom", "AppTestSupport", "TestSupport", "GitHubSandbox", "Storage", "Feeds", "Curl", "GitHub", "Pages",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["Curl", "TestSupport", "GitHubSandbox", "PostgresStorage", "StorageTestSupport"], swiftSettings: strict),
        .testTarget(name: "NewsroomTests", dependencies: [
            "Newsroom", "TestSupport", "GitHubSandbox", "Storage", "StorageTestSupport", "Feeds", "Curl", "GitHub",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
    ]
)
