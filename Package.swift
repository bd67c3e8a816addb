// swift-tools-version:6.0
// No package dependencies, by design: the core must embed anywhere (see DEVELOPERS.md).
import PackageDescription

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
        .executableTarget(name: "operatorctl", dependencies: ["ReconcileCore", "KubeAdapter"]),
        .testTarget(name: "ReconcileCoreTests", dependencies: ["ReconcileCore"]),
        .testTarget(name: "KubeAdapterTests", dependencies: ["KubeAdapter", "ReconcileCore"]),
        .testTarget(name: "OperatorctlTests", dependencies: ["operatorctl", "ReconcileCore"]),
    ],
    swiftLanguageModes: [.v6]
)
