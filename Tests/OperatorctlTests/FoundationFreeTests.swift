import Foundation
import Testing

/// The shipped modules do not import Foundation: linking it (with ICU) costs the CLI ~7 MiB of
/// memory before it reads a byte and most of its binary size. Tests may import it.
@Suite struct FoundationFreeTests {

    @Test func productModulesImportNoFoundation() throws {
        let root = CLIPaths.packageRoot
        var offenders: [String] = []
        var checked = 0
        for module in ["ReconcileCore", "KubeAdapter", "operatorctl"] {
            let dir = root.appendingPathComponent("Sources/\(module)")
            let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
            for file in files {
                let relative = "Sources/\(module)/\(file)"
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                checked += 1
                for line in text.split(separator: "\n") {
                    // `import Foundation`, `import struct Foundation.Date`, `@preconcurrency import FoundationEssentials`, ...
                    let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                    guard words.first == "import", words.contains(where: { $0.hasPrefix("Foundation") }) else { continue }
                    offenders.append("\(relative): \(line)")
                }
            }
        }
        #expect(checked > 100)
        #expect(offenders == [])
    }
}
