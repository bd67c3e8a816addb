import Foundation

/// Where the package and the shared reference data are, found from this file's path so tests
/// run the same from any working directory.
enum TestPaths {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/ReconcileCoreTests/Golden/TestPaths.swift → package root
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()
    static var fixtures: URL { packageRoot.appendingPathComponent("Fixtures") }
    /// `../shared`, or nil when absent (tests that need it skip).
    static var shared: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
    static func files(in dir: URL, extensions: Set<String> = ["yaml", "yml", "json"], recursive: Bool = true) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e {
            if !recursive, url.deletingLastPathComponent().standardized != dir.standardized { continue }
            if extensions.contains(url.pathExtension) { out.append(url) }
        }
        return out.sorted { $0.path < $1.path }
    }
}
