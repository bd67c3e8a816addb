// swift-tools-version:6.0
// No package dependencies, by design: the core must embed anywhere (see DEVELOPERS.md).
import PackageDescription

/// The release link of operatorctl on Linux places the functions its offline commands run next
/// to each other (lld's `--symbol-ordering-file`; the list comes from `scripts/update-order-file`):
/// the kernel maps code in 64 KiB runs around each touched page, and spread over the binary's
/// 8 MB those functions mapped ~2 MB more (docs/simulation.md, "Benchmark"). Only the
/// executable's link has these flags; the libraries carry none.
let orderFile = String(#filePath.dropLast("Package.swift".count)) + "scripts/operatorctl.order"
let operatorctlLinking: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "--symbol-ordering-file=\(orderFile)", "-Xlinker", "--no-warn-symbol-ordering"],
        .when(platforms: [.linux], configuration: .release)
    ),
]

let package = Package(
    name: "ToolHiveOperatorBrain",
    products: [
        .library(name: "ReconcileCore", targets: ["ReconcileCore"]),
        .library(name: "KubeAdapter", targets: ["KubeAdapter"]),
        .executable(name: "operatorctl", targets: ["operatorctl"]),
    ],
    targets: [
        .target(name: "ReconcileCore"),
        // TLS with custom CAs and client certificates through the system libcurl, loaded at run
        // time (see docs/adapter.md): URLSession on Linux can do neither.
        .target(name: "CCurlShim"),
        .target(name: "KubeAdapter", dependencies: ["ReconcileCore", "CCurlShim"]),
        .executableTarget(name: "operatorctl", dependencies: ["ReconcileCore", "KubeAdapter"], linkerSettings: operatorctlLinking),
        .testTarget(name: "ReconcileCoreTests", dependencies: ["ReconcileCore"]),
        .testTarget(name: "KubeAdapterTests", dependencies: ["KubeAdapter", "ReconcileCore"]),
        .testTarget(name: "OperatorctlTests", dependencies: ["operatorctl", "ReconcileCore"]),
    ],
    swiftLanguageModes: [.v6]
)
