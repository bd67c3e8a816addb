import Foundation
import Testing
@testable import ReconcileCore

/// Loading document by document, in chunks of any size, gives exactly the objects and the errors
/// of loading each file whole.
@Suite struct LoadSessionTests {
    struct Outcome: Equatable {
        var objects: [KubeObject] = []
        var locations: [FileLocation] = []
        var fieldPositions: [[String: SourcePosition]] = []
        var errors: [String] = []
    }

    /// Loads `inputs` in one session, feeding `chunkSize` bytes at a time (0: each file whole,
    /// without splitting: the reference).
    static func load(_ inputs: [InputSource], chunkSize: Int, recordPositions: Bool = false) -> Outcome {
        var sink = LoadedObjects()
        do throws(LoadErrors) {
            try load(inputs, chunkSize: chunkSize, recordPositions: recordPositions, into: &sink)
        } catch {
            // What the sink got is thrown away on error.
            return Outcome(errors: error.errors.map(\.description))
        }
        return Outcome(objects: sink.items.map(\.object), locations: sink.items.map(\.location), fieldPositions: sink.items.map(\.fieldPositions))
    }

    static func load<Sink: LoadSink>(_ inputs: [InputSource], chunkSize: Int, recordPositions: Bool = false, into sink: inout Sink) throws(LoadErrors) {
        var session = LoadSession(loader: SnapshotLoader(), recordPositions: recordPositions, splitDocuments: chunkSize > 0)
        for input in inputs {
            session.begin(path: input.path)
            let size = chunkSize > 0 ? chunkSize : max(1, input.bytes.count)
            var start = 0
            while start < input.bytes.count {
                let end = min(input.bytes.count, start + size)
                session.feed(input.bytes[start..<end], into: &sink)
                start = end
            }
            session.end(into: &sink)
        }
        try session.finish()
    }

    /// Into a snapshot (which is its own duplicate detection): the same objects and origins, or
    /// the same errors.
    static func loadSnapshot(_ inputs: [InputSource], chunkSize: Int) -> Outcome {
        var snapshot = Snapshot()
        do throws(LoadErrors) {
            try load(inputs, chunkSize: chunkSize, into: &snapshot)
        } catch {
            return Outcome(errors: error.errors.map(\.description))
        }
        let keys = snapshot.keys.sorted()
        return Outcome(objects: keys.compactMap { snapshot.get($0) }, locations: keys.compactMap { snapshot.origins[$0] })
    }

    func expectSame(_ inputs: [InputSource], sizes: [Int] = [1, 13, 4096], sourceLocation: SourceLocation = #_sourceLocation) {
        for positions in [false, true] {
            let whole = Self.load(inputs, chunkSize: 0, recordPositions: positions)
            for size in sizes {
                let split = Self.load(inputs, chunkSize: size, recordPositions: positions)
                #expect(split == whole, "chunk size \(size), positions \(positions): \(inputs.map(\.path))", sourceLocation: sourceLocation)
            }
        }
        // A snapshot holds each key once, sorted; the objects and origins are the list's.
        let whole = Self.load(inputs, chunkSize: 0)
        var expected = Outcome(errors: whole.errors)
        if whole.errors.isEmpty {
            let order = whole.objects.indices.sorted { whole.objects[$0].key < whole.objects[$1].key }
            expected.objects = order.map { whole.objects[$0] }
            expected.locations = order.map { whole.locations[$0] }
        }
        #expect(Self.loadSnapshot(inputs, chunkSize: sizes[0]) == expected, "into a snapshot: \(inputs.map(\.path))", sourceLocation: sourceLocation)
    }

    static func read(_ url: URL) -> InputSource {
        InputSource(path: url.path, bytes: Array(FileManager.default.contents(atPath: url.path) ?? Data()))
    }

    @Test func everyFixtureLoadsTheSameSplit() {
        let files = TestPaths.files(in: TestPaths.fixtures).filter { !$0.path.hasSuffix(".expected") }
        #expect(files.count > 50)
        for file in files { expectSame([Self.read(file)], sizes: [7, 4096]) }
        // All together, in one session: duplicates across files are found the same way.
        expectSame(files.map(Self.read), sizes: [1 << 20])
    }

    @Test func everyBadInputGivesTheSameErrors() {
        let files = TestPaths.files(in: TestPaths.fixtures.appendingPathComponent("bad-input"))
        #expect(files.count >= 13)
        for file in files { expectSame([Self.read(file)], sizes: [1, 2, 5, 64]) }
        expectSame(files.map(Self.read))
    }

    @Test func everyToolhiveExampleLoadsTheSameSplit() {
        guard let shared = TestPaths.shared else { return }  // ../shared absent: nothing to check
        let files = TestPaths.files(in: shared.appendingPathComponent("toolhive-examples"))
        #expect(files.count > 20)
        for file in files { expectSame([Self.read(file)], sizes: [3, 1 << 20]) }
    }

    static let server = """
        apiVersion: toolhive.stacklok.dev/v1beta1
        kind: MCPServer
        metadata:
          name: %@
        spec:
          image: x

        """

    func servers(_ names: String...) -> String { names.map { Self.server.replacingOccurrences(of: "%@", with: $0) }.joined(separator: "---\n") }

    @Test func errorsInLaterDocumentsPointAtTheFilesLines() {
        // 2nd document (its `---` on line 7): no kind; 3rd (line 11): a duplicate; 4th: a list item
        // without a name (line 22).
        let text = servers("a") + "---\napiVersion: v1\nmetadata:\n  name: b\n---\n" + servers("a")
            + "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {}\n"
        let input = InputSource(path: "x.yaml", text: text)
        expectSame([input])
        #expect(Self.load([input], chunkSize: 5).errors == [
            "x.yaml:7:1: error: object has no kind (each object needs apiVersion, kind and metadata.name)",
            "x.yaml:22:3: error: ConfigMap object has no metadata.name (each object needs apiVersion, kind and metadata.name)",
            "x.yaml:11:1: error: duplicate object MCPServer/default/a (first defined at x.yaml:1:1)",
        ])
    }

    @Test func aSyntaxErrorTakesBackTheWholeFile() {
        // The file's first object was already handed out when its 3rd document fails; like a whole
        // load, the file gives only its syntax error, and a later file may define that object.
        let broken = InputSource(path: "broken.yaml", text: servers("a", "b") + "---\nkey: [open\n")
        let later = InputSource(path: "later.yaml", text: servers("a"))
        expectSame([broken, later])
        #expect(Self.load([broken, later], chunkSize: 16).errors == ["broken.yaml:15:6: error: unterminated flow sequence (missing ']')"])
    }

    @Test func anEncodingErrorAfterASyntaxErrorIsTheOneReported() {
        let input = InputSource(path: "x.yaml", bytes: Array((servers("a") + "---\nkey: [open\n---\nb: ").utf8) + [0xFF, 0x0A])
        expectSame([input])
        #expect(Self.load([input], chunkSize: 1).errors == ["x.yaml:10:4: error: invalid UTF-8 byte 0xFF"])
    }

    @Test func jsonAndUndecidedFormatsAreReadWhole() {
        let json = #"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}]}"#
        let stdin = InputSource(path: "-", text: "  \n\n" + json)
        let yamlStdin = InputSource(path: "-", text: "\n\n" + servers("s", "t"))
        expectSame([stdin, yamlStdin])
        let out = Self.load([stdin, yamlStdin], chunkSize: 1)
        #expect(out.objects.map(\.name) == ["c", "s", "t"])
        #expect(out.locations.map(\.description) == ["-:3:1", "-:3:1", "-:9:1"])
    }

    @Test func loadObjectsSplitsByDefault() throws {
        let input = InputSource(path: "x.yaml", text: servers("a", "b"))
        let split = try SnapshotLoader().loadObjects([input])
        let whole = try SnapshotLoader().loadObjects([input], splitDocuments: false)
        #expect(split.map(\.object) == whole.map(\.object))
        #expect(split.map(\.location.description) == ["x.yaml:1:1", "x.yaml:7:1"])
    }
}
