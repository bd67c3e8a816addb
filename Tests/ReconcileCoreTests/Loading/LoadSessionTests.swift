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
    static func load(_ inputs: [InputSource], chunkSize: Int, recordPositions: Bool = false, parser: PieceParser = .inline) -> Outcome {
        var sink = LoadedObjects()
        do throws(LoadErrors) {
            try load(inputs, chunkSize: chunkSize, recordPositions: recordPositions, parser: parser, into: &sink)
        } catch {
            // What the sink got is thrown away on error.
            return Outcome(errors: error.errors.map(\.description))
        }
        return Outcome(objects: sink.items.map(\.object), locations: sink.items.map(\.location), fieldPositions: sink.items.map(\.fieldPositions))
    }

    static func load<Sink: LoadSink>(_ inputs: [InputSource], chunkSize: Int, recordPositions: Bool = false, parser: PieceParser = .inline, into sink: inout Sink) throws(LoadErrors) {
        var session = LoadSession(loader: SnapshotLoader(), recordPositions: recordPositions, splitDocuments: chunkSize > 0, pieceParser: parser)
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
                let deferred = Self.load(inputs, chunkSize: size, recordPositions: positions, parser: Self.outOfTurn)
                #expect(deferred == whole, "parsed out of turn, chunk size \(size), positions \(positions): \(inputs.map(\.path))", sourceLocation: sourceLocation)
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

    /// Batches of a few pieces, each parsed only when the stream takes it, two batches later: the
    /// order of events of parsing on other cores, without threads.
    static let outOfTurn = PieceParser(window: 2, batchBytes: 200) { work in { work() } }

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
        // The List's item points at itself (line 3, column 48), the YAML documents at their starts.
        #expect(out.locations.map(\.description) == ["-:3:48", "-:3:1", "-:9:1"])
    }

    @Test func loadObjectsSplitsByDefault() throws {
        let input = InputSource(path: "x.yaml", text: servers("a", "b"))
        let split = try SnapshotLoader().loadObjects([input])
        let whole = try SnapshotLoader().loadObjects([input], splitDocuments: false)
        #expect(split.map(\.object) == whole.map(\.object))
        #expect(split.map(\.location.description) == ["x.yaml:1:1", "x.yaml:7:1"])
    }

    // MARK: Lists: items taken out of the tree while parsing (ListItemDetacher)

    static func configMap(_ name: String, _ extra: String = "") -> String {
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: \(name)\n\(extra)"
    }

    /// `kubectl get -o yaml` prints `items` before `kind`.
    static let kubectlList = "apiVersion: v1\nitems:\n" + configMap("a", "  data:\n    k: v\n") + configMap("b")
        + "kind: List\nmetadata:\n  resourceVersion: \"\"\n"

    @Test func listsLoadTheSameWithTheirItemsTakenOut() {
        let cases: [(String, String)] = [
            ("kubectl.yaml", Self.kubectlList),
            ("kind-first.yaml", "apiVersion: v1\nkind: ConfigMapList\nitems:\n" + Self.configMap("a") + Self.configMap("b")),
            // A bad item (read again with positions), a scalar item, a duplicate.
            ("bad-item.yaml", "apiVersion: v1\nitems:\n" + Self.configMap("a") + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {}\n- 3\n" + Self.configMap("a") + "kind: List\n"),
            // Not a List: the object keeps its items.
            ("widget.yaml", "apiVersion: example.com/v1\nitems:\n" + Self.configMap("a") + "kind: Widget\nmetadata:\n  name: w\n"),
            // Anchored or tagged items stay whole; an anchor inside an item is used by a later one.
            ("anchored.yaml", "apiVersion: v1\nitems: &all\n" + Self.configMap("a") + "kind: List\nmetadata:\n  annotations:\n    copy: *all\n"),
            ("anchored-widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nitems: &all\n" + Self.configMap("a") + "spec:\n  copy: *all\n"),
            ("tagged.yaml", "apiVersion: v1\nitems: !!seq\n" + Self.configMap("a") + "kind: List\n"),
            ("alias.yaml", "apiVersion: v1\nitems:\n" + Self.configMap("a", "  data: &d\n    k: v\n") + Self.configMap("b", "  data: *d\n") + "kind: List\n"),
            // Flow items, nested items, items that are not a list.
            ("flow.yaml", "apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}]\n"),
            ("nested.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  items:\n" + Self.configMap("a").replacingOccurrences(of: "\n", with: "\n  ").replacingOccurrences(of: "- apiVersion", with: "  - apiVersion")),
            ("scalar.yaml", "apiVersion: v1\nkind: List\nitems: none\n"),
            ("json.json", #"{"apiVersion": "v1", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"}}], "kind": "List"}"#),
            ("json-bad.json", #"{"apiVersion": "v1", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, {"kind": "Secret"}], "kind": "List"}"#),
            ("json-widget.json", #"{"apiVersion": "example.com/v1", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}], "kind": "Widget", "metadata": {"name": "w"}}"#),
            // Odd shapes: comments and blank lines between items, CRLF, a byte order mark, a
            // merge key or an explicit key at the root, `items` twice, a List inside an item,
            // block scalars, Lists in a stream of documents.
            ("comments.yaml", "apiVersion: v1\nitems:\n# first\n" + Self.configMap("a") + "\n  # inside\n\n" + Self.configMap("b") + "# last\nkind: List\n"),
            ("crlf.yaml", ("\u{FEFF}apiVersion: v1\nitems:\n" + Self.configMap("a") + "kind: List\n").replacingOccurrences(of: "\n", with: "\r\n")),
            ("merge.yaml", "apiVersion: v1\nkind: List\n<<: {items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: m}}]}\n"),
            ("explicit.yaml", "apiVersion: v1\nkind: List\n? items\n: " + Self.configMap("a").replacingOccurrences(of: "\n  ", with: "\n    ")),
            ("twice.yaml", "apiVersion: v1\nkind: List\nitems:\n" + Self.configMap("a") + "items:\n" + Self.configMap("b")),
            ("nested-list.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  metadata:\n    name: inner\n  items:\n  " + Self.configMap("x").replacingOccurrences(of: "\n  ", with: "\n    ")),
            ("scalars.yaml", "apiVersion: v1\nkind: List\nitems:\n" + Self.configMap("a", "  data:\n    script: |\n      - not: an item\n      items:\n") + Self.configMap("b")),
            ("stream.yaml", Self.kubectlList + "---\n" + Self.kubectlList.replacingOccurrences(of: "name: a", with: "name: c").replacingOccurrences(of: "name: b", with: "name: d")),
        ]
        for (path, text) in cases { expectSame([InputSource(path: path, text: text)], sizes: [1, 9, 4096]) }
        expectSame(cases.map { InputSource(path: $0.0, text: $0.1) }, sizes: [64])

        // What the cases give (the reference is the whole-tree reading, so check it too).
        let outcome = { (name: String) in Self.load(cases.filter { $0.0 == name }.map { InputSource(path: $0.0, text: $0.1) }, chunkSize: 7) }
        let widget = outcome("widget.yaml")
        #expect(widget.objects.map(\.kind) == ["Widget"])
        #expect(widget.objects.first?.root["items"]?.arrayValue?.first?[path: "metadata.name"] == "a")
        let bad = outcome("bad-item.yaml")
        #expect(bad.errors == [
            "bad-item.yaml:7:3: error: ConfigMap object has no metadata.name (each object needs apiVersion, kind and metadata.name)",
            "bad-item.yaml:10:3: error: expected a Kubernetes object (a map), got an integer",
            "bad-item.yaml:11:3: error: duplicate object ConfigMap/default/a (first defined at bad-item.yaml:3:3)",
        ])
        #expect(outcome("stream.yaml").objects.map(\.name) == ["a", "b", "c", "d"])
        #expect(outcome("comments.yaml").locations.map(\.description) == ["comments.yaml:4:3", "comments.yaml:11:3"])
        #expect(outcome("twice.yaml").errors == ["twice.yaml:8:1: error: duplicate key \"items\""])
        #expect(outcome("nested-list.yaml").objects.map(\.name) == ["inner"])
        let alias = outcome("alias.yaml")
        #expect(alias.objects.map { $0[path: "data.k"] } == ["v", "v"])
        // An anchored `items` stays whole: the alias elsewhere sees the items, not placeholders.
        #expect(outcome("anchored-widget.yaml").objects.first?[path: "spec.copy"]?.arrayValue?.count == 1)
    }

    @Test func aListIsNeverOneTree() throws {
        let yaml = try YAMLReader.parseStream(bytes: Array(Self.kubectlList.utf8), detacher: ListItemDetacher(takesItems: true))
        let plain = try YAMLReader.parseStream(bytes: Array(Self.kubectlList.utf8))
        let json = #"{"apiVersion": "v1", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, 7], "kind": "List"}"#
        let fromJSON = try JSONReader.parseStream(bytes: Array(json.utf8), detacher: ListItemDetacher(takesItems: true))
        let plainJSON = try JSONReader.parseStream(bytes: Array(json.utf8))
        #expect(yaml.count == 1 && fromJSON.count == 1)
        // Only placeholders stay in the tree; the items are packed beside it.
        #expect(yaml[0].value["items"] == [.null, .null])
        #expect(yaml[0].detachedItems.map { $0?.object.name } == ["a", "b"])
        #expect(yaml[0].reattached == plain[0].value)
        #expect(plain[0].detachedItems.isEmpty)
        // An item the loader cannot load stays in the tree.
        #expect(fromJSON[0].value["items"] == [.null, 7])
        #expect(fromJSON[0].detachedItems.map { $0 != nil } == [true, false])
        #expect(fromJSON[0].reattached == plainJSON[0].value)
        // Where each item starts (its content, after `- `).
        #expect(yaml[0].itemPositions.map(\.description) == ["3:3", "9:3"])
        #expect(fromJSON[0].itemPositions.map(\.description) == ["1:32", "1:102"])
        #expect(plain[0].itemPositions.isEmpty)
        // Documents of a stream each start afresh; a document without items takes nothing.
        let two = try YAMLReader.parseStream(bytes: Array((Self.kubectlList + "---\nkind: X\n").utf8), detacher: ListItemDetacher(takesItems: true))
        #expect(two.map(\.detachedItems.count) == [2, 0])
    }

    /// An object read from a List points at itself, whether or not field positions are recorded:
    /// in duplicate messages ("first defined at") and in the snapshot's origins.
    @Test func listItemsPointAtThemselvesWithoutFieldPositions() {
        let yaml = InputSource(path: "list.yaml", text: Self.kubectlList + "---\napiVersion: v1\nkind: List\nitems:\n" + Self.configMap("b"))
        let json = InputSource(path: "list.json", text: "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}\n]}")
        let plain = Self.load([yaml, json], chunkSize: 5)
        let positioned = Self.load([yaml, json], chunkSize: 5, recordPositions: true)
        #expect(plain.errors == ["list.yaml:20:3: error: duplicate object ConfigMap/default/b (first defined at list.yaml:9:3)"])
        #expect(positioned.errors == plain.errors)
        let clean = InputSource(path: "list.yaml", text: Self.kubectlList)
        let noPositions = Self.load([clean, json], chunkSize: 5)
        #expect(noPositions.locations.map(\.description) == ["list.yaml:3:3", "list.yaml:9:3", "list.json:2:3"])
        #expect(noPositions.locations == Self.load([clean, json], chunkSize: 5, recordPositions: true).locations)
        #expect(Self.loadSnapshot([clean, json], chunkSize: 5).locations.map(\.description) == ["list.yaml:3:3", "list.yaml:9:3", "list.json:2:3"])
    }
}
