// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Hostfit",
    products: [
        .library(name: "Hostfit", targets: ["Hostfit"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        // RVTools .xlsx workbooks: its own target, so the core library needs no zip or XML.
        .library(name: "HostfitWorkbook", targets: ["HostfitWorkbook"]),
        // What-if scenario files (YAML): their own target, so the core library needs no YAML parser.
        .library(name: "HostfitScenarios", targets: ["HostfitScenarios"]),
        // The placement service (HTTP and its SQLite store): its own target, so the core
        // library embeds without Hummingbird or GRDB.
        .library(name: "HostfitService", targets: ["HostfitService"]),
        // A client of the service for providers that automate placement: generated from the
        // service's OpenAPI document (tools/generate-client.sh), on URLSession.
        .library(name: "HostfitClient", targets: ["HostfitClient"]),
        .executable(name: "hostfit", targets: ["hostfit"]),
        // The service's program, which `hostfit serve` runs: the planner builds without
        // NIO, Hummingbird and GRDB (a first release build in minutes, not a quarter hour).
        .executable(name: "hostfit-serve", targets: ["hostfit-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        // Tenants' tokens are kept as SHA-256 hashes (already built for Hummingbird's TLS side).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Debian's libglpk-dev ships no pkg-config file: the module map links "glpk".
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // GLPK leaves through its error hook by longjmp, which Swift frames must never
        // see: every GLPK call that can fail runs inside this C target.
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"]),
        .target(name: "GLPK", dependencies: ["CGLPK", "CGLPKGuard"]),
        // Traces arrive gzip-compressed more often than not. (Not named CZlib: ZIPFoundation's
        // module map declares that name.)
        .systemLibrary(name: "CGzip", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Hostfit", dependencies: ["GLPK", "CGzip"]),
        .target(name: "HostfitWorkbook", dependencies: [
            "Hostfit",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "XMLCoder", package: "XMLCoder"),
        ]),
        .target(name: "HostfitScenarios", dependencies: ["Hostfit", .product(name: "Yams", package: "Yams")]),
        .target(name: "HostfitService", dependencies: [
            "Hostfit",
            "HostfitWorkbook",  // RVTools workbooks uploaded to PUT /hosts and /vms
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("openapi.json")]),
        .target(name: "HostfitClient", dependencies: [
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
        ], exclude: ["openapi-generator-config.yaml", "Generated/openapi.sha256"]),
        // The flags and terminal output that hostfit and hostfit-serve share.
        .target(name: "HostfitCommandLine", dependencies: [
            "Hostfit",
            "HostfitWorkbook",  // --hosts and --vms take RVTools workbooks
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(
            name: "hostfit",
            dependencies: [
                "Hostfit",
                "HostfitWorkbook",
                "HostfitScenarios",
                "HostfitCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hostfit-serve",
            dependencies: [
                "Hostfit",
                "HostfitWorkbook",
                "HostfitService",
                "HostfitCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // make bench: the figures the issues ask for, computed with the library itself.
        .executableTarget(name: "hostfit-bench", dependencies: ["Hostfit", "HostfitScenarios"], path: "Benchmarks/HostfitBench"),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK", "Hostfit"]),
        // The service's routes in process, and its contract.
        .testTarget(name: "HostfitServiceTests", dependencies: [
            "Hostfit", "HostfitService",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(
            name: "HostfitTests",
            // CGzip: zlib, to read back the PNG screenshots of the report test.
            // hostfit and hostfit-serve: built for the tests that run them.
            dependencies: ["Hostfit", "HostfitWorkbook", "HostfitScenarios", "HostfitService", "HostfitClient", "hostfit", "hostfit-serve", "CGzip",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
