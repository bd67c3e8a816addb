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

    /// Pieces parsed on other cores (`BackgroundPieceParser`) load exactly what parsing them in
    /// turn loads: the same objects in the same order, or the same errors (a syntax error, an
    /// encoding error further on that wins over it, a bad object, and an alias budget passed only
    /// by the documents together).
    @Test(arguments: [2, 3, 5])
    func piecesParsedOnOtherCoresLoadTheSame(cores: Int) {
        let good = (0..<200).map { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\($0)\ndata:\n  k: \"\($0)\"\n" }
        let laughs = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: l}\nx: &a [y, y, y, y, y, y, y, y, y, y]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        let streams: [[String]] = [
            good,
            good + ["apiVersion: v1\nkind: ConfigMap\n"] + good.prefix(5),  // an object without a name
            Array(good.prefix(60)) + ["a: [open\n"] + good.prefix(60),  // a syntax error
            Array(good.prefix(60)) + ["a: [open\n"] + good.prefix(60) + ["b: \u{1}\n"],  // then an encoding error
            Array(good.prefix(40)) + (0..<12).map { _ in laughs } + good.prefix(40),  // the budget, over the stream
        ]
        for docs in streams {
            let bytes = Array(docs.joined(separator: "---\n").utf8)
            let inline = Self.load(bytes, parser: .inline)
            let background = Self.load(bytes, parser: BackgroundPieceParser.make(processorCount: cores))
            #expect(background.objects == inline.objects)
            #expect(background.errors == inline.errors)
            #expect(inline.objects.count + inline.errors.count > 0)
        }
        #expect(Self.load(Array((good + ["a: [open\n"]).joined(separator: "---\n").utf8), parser: BackgroundPieceParser.make(processorCount: cores)).errors == ["in.yaml:1401:4: error: unterminated flow sequence (missing ']')"])
    }

    static func load(_ bytes: [UInt8], parser: PieceParser) -> (objects: [KubeObject], errors: [String]) {
        var session = LoadSession(loader: SnapshotLoader(), pieceParser: parser)
        var sink = LoadedObjects()
        session.begin(path: "in.yaml")
        var start = 0
        while start < bytes.count {
            session.feed(bytes[start..<min(bytes.count, start + 1000)], into: &sink)
            start += 1000
        }
        session.end(into: &sink)
        do throws(LoadErrors) {
            try session.finish()
        } catch {
            return ([], error.errors.map(\.description))
        }
        return (sink.items.map(\.object), [])
    }
}
