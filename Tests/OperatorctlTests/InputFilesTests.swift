import Foundation
import Testing
@testable import operatorctl
@testable import ReconcileCore

/// Files are read in blocks (`FileIO.readBlocks`) and loaded as the blocks arrive.
@Suite struct InputFilesTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "inputfiles-\(UUID().uuidString).yaml"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aReadErrorIsReportedAloneAsBefore() throws {
        // Input problems in a readable file are not mixed with a missing file's error.
        let path = try Self.temporaryFile(Array("a: [open\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = run(["convert", path, "/nonexistent/x.yaml"])
        #expect(out.exitCode == 1)
        #expect(out.stderr == "/nonexistent/x.yaml:1:1: error: no such file or directory\n")
        #expect(run(["convert", path]).stderr == "\(path):1:4: error: unterminated flow sequence (missing ']')\n")
    }

    @Test func aMultiDocumentFileConvertsAsFromStdin() throws {
        var text = ""
        for i in 0..<300 { text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\(i)\ndata:\n  k: \"\(String(repeating: "é", count: i))\"\n" }
        let path = try Self.temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = run(["convert", path, "-o", "json"])
        let fromStdin = run(["convert", "-", "-o", "json"], stdin: text)
        #expect(fromFile.exitCode == 0)
        #expect(fromFile.stdout == fromStdin.stdout)
        #expect(fromFile.stdout.contains("\"name\": \"c299\""))
    }
}
