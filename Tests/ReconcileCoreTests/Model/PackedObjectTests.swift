import Foundation
import Testing
@testable import ReconcileCore

/// Same tree, case for case: map order, int vs double, doubles by bit pattern (`==` ignores map
/// order and says NaN differs from itself).
func identical(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): return x == y && Array(x.utf8) == Array(y.utf8)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
    case (.object(let x), .object(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && identical($0.value, $1.value) }
    default: return false
    }
}

func identical(_ a: [KubeObject], _ b: [KubeObject]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { identical($0.value, $1.value) }
}

@Suite struct PackedObjectTests {
    static func roundTrip(_ root: OrderedMap) -> KubeObject? {
        PackedObject(KubeObject(root: root))?.object
    }

    /// Every document of every YAML file under Fixtures/ (inputs, golden plans, converged
    /// clusters): each golden plan's objects are inside its document.
    static var fixtureDocuments: [(String, OrderedMap)] {
        var out: [(String, OrderedMap)] = []
        for url in TestPaths.files(in: TestPaths.fixtures, extensions: ["yaml", "yml", "json"]) {
            guard let data = FileManager.default.contents(atPath: url.path),
                let docs = try? YAMLReader.parseStream(bytes: Array(data), recordPositions: false)
            else { continue }
            for doc in docs { if case .object(let m) = doc.value { out.append((url.path, m)) } }
        }
        return out
    }

    @Test func everyFixtureDocumentRoundTripsExactly() throws {
        let docs = Self.fixtureDocuments
        #expect(docs.count > 300)  // the fixtures are there and parsed
        for (path, root) in docs {
            let decoded = try #require(Self.roundTrip(root), "\(path)")
            #expect(identical(decoded.value, .object(root)), "\(path)")
            #expect(decoded.root == root)
        }
    }

    @Test func packedIsSmallerThanTheInputText() throws {
        // The point of packing: compare with the fixtures' own JSON text (no indentation).
        var packed = 0
        var text = 0
        for (_, root) in Self.fixtureDocuments {
            packed += try #require(PackedObject(KubeObject(root: root))).bytes.count
            text += JSONWriter.write(.object(root), pretty: false).utf8.count
        }
        #expect(packed * 10 < text * 7, "packed \(packed) bytes, JSON \(text) bytes")
    }

    @Test func edgeValuesRoundTripExactly() throws {
        let long = String(repeating: "x", count: 100_000)
        let cases: [Value] = [
            [:], [], ["a": [:]], ["a": []], ["a": [[], [:], [[]], [["b": [:]]]]],
            ["e": "", "n": nil, "t": true, "f": false],
            ["unicode": "héllo wörld ✓ 日本語 🧪 e\u{301}", "🔑": "value", "": "empty key"],
            ["max": .int(.max), "min": .int(.min), "zero": 0, "neg": -1, "small": 63, "edge": -64, "big": .int(1 << 40)],
            ["negZero": .double(-0.0), "zero": .double(0.0), "nan": .double(.nan), "inf": .double(.infinity),
             "ninf": .double(-.infinity), "tiny": .double(.leastNonzeroMagnitude), "pi": .double(3.14159), "whole": .double(2.0)],
            ["long": .string(long), "127": .string(String(repeating: "a", count: 127)), "128": .string(String(repeating: "b", count: 128)),
             "16384": .string(String(repeating: "c", count: 16_384))],
            // Strings the common table holds, as keys and values, next to near misses.
            ["apiVersion": "toolhive.stacklok.dev/v1beta1", "kind": "MCPServer", "metadata": ["name": "name", "namespace": "True"],
             "spec ": "spec", "Spec": "v1 ", "true": "false"],
            ["order": ["z": 1, "a": 2, "m": 3, "b": 4]],
            ["wide": .object(OrderedMap((0..<300).map { ("k\($0)", .int(Int64($0))) }))],
            ["list": .array((0..<200).map { .string("item-\($0)") })],
        ]
        for value in cases {
            guard case .object(let root) = value else { continue }
            let decoded = try #require(Self.roundTrip(root))
            #expect(identical(decoded.value, value), "\(JSONWriter.write(value, pretty: false).prefix(200))")
        }
        // An int stays an int and a whole double stays a double.
        let numbers: Value = ["i": 2, "d": .double(2.0)]
        let mixed = try #require(Self.roundTrip(numbers.objectValue ?? OrderedMap()))
        #expect(mixed.root["i"] == .int(2))
        if case .double(let d)? = mixed.root["d"] { #expect(d == 2.0) } else { Issue.record("2.0 came back as \(String(describing: mixed.root["d"]))") }
    }

    /// Canonical lowercase UUIDs are kept as 16 bytes; anything that would not decode back to
    /// the same characters (uppercase, dashes elsewhere, a non-hex digit) stays a string.
    @Test func uuidsArePackedAsSixteenBytesAndRoundTripExactly() throws {
        let uid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        let nearMisses = [
            "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", "0f1e2d3c4b5a-6978-8796-a5b4c3d2e1f0-", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00", "0f1e2d3c-4b5a-6978-8796_a5b4c3d2e1f0",
            "00000000-0000-0000-0000-000000000000é",
        ]
        var root = OrderedMap()
        root["uid"] = .string(uid)
        root[uid] = .string("a UUID as a key stays a key")
        root["refs"] = .array([.string(uid), .string("ffffffff-ffff-ffff-ffff-ffffffffffff"), .string("00000000-0000-0000-0000-000000000000")])
        for (i, s) in nearMisses.enumerated() { root["miss\(i)"] = .string(s) }
        let decoded = try #require(Self.roundTrip(root))
        #expect(identical(decoded.value, .object(root)))

        var plain = OrderedMap()
        plain["uid"] = .string(uid)
        let packed = try #require(PackedObject(KubeObject(root: plain)))
        #expect(packed.bytes.count == 1 + 1 + 1 + 1 + 16)  // map tag, count, common key "uid", uuid tag, 16 bytes
        #expect(packed.bytes.contains(PackedObject.Tag.uuid))
        // Cut anywhere inside the 16 bytes, it decodes to an empty object rather than crash.
        for n in 0..<packed.bytes.count {
            #expect(PackedObject(bytes: Array(packed.bytes.prefix(n))).object.root.isEmpty)
        }
    }

    @Test func deepTreesStayTrees() {
        var deep: Value = "leaf"
        for _ in 0..<PackedObject.maxDepth { deep = ["d": deep] }
        guard case .object(let root) = deep else { return }
        #expect(PackedObject(KubeObject(root: root)) == nil)
        var s = Snapshot()
        s.upsert(KubeObject(root: root).with(name: "deep"), packed: true)
        #expect(s.get(KubeObject(root: root).with(name: "deep").key).map { identical($0.value, KubeObject(root: root).with(name: "deep").value) } == true)

        var shallow: Value = "leaf"
        for _ in 0..<(PackedObject.maxDepth - 2) { shallow = [shallow] }
        let object: Value = ["spec": shallow]
        guard case .object(let r) = object else { return }
        #expect(Self.roundTrip(r).map { identical($0.value, object) } == true)
    }

    @Test func truncatedOrCorruptBytesDecodeToAnEmptyObject() throws {
        let object = VT.server("s", group: "g")
        let packed = try #require(PackedObject(object))
        #expect(packed.rootString("apiVersion") == object.apiVersion)
        for n in 0..<packed.bytes.count {
            let cut = PackedObject(bytes: Array(packed.bytes.prefix(n)))
            #expect(cut.object.root.isEmpty, "prefix of \(n) bytes")
            _ = cut.rootString("apiVersion")
            _ = cut.rootString("status")
        }
        // Extra bytes after the object, unknown tags, a bad table index, counts larger than the
        // bytes left, a varint that never ends.
        let bad: [[UInt8]] = [
            packed.bytes + [0],
            [9], [7, 2, 1, 0], [7, 1, 0xFF, 0x7F, 0],
            [7, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [6, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
            [7, 1, 4, 0x61, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            [7] + [UInt8](repeating: 0x80, count: 20),
            [7, 1, 4, 0x61, 4, 1, 2], [5, 8, 0xC3, 0x28], [],
            // A shared string must point before the object: here there is nothing before it,
            // and the offsets point at the object's own bytes, past its end, or nowhere.
            [7, 1, 6, 0], [7, 1, 4, 0x61, 5, 6, 2], [7, 1, 4, 0x61, 5, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [7, 1, 6],
        ]
        for bytes in bad {
            #expect(PackedObject(bytes: bytes).object.root.isEmpty, "\(bytes.prefix(16))")
            _ = PackedObject(bytes: bytes).rootString("a")
        }
        // Invalid UTF-8 inside a well-formed string decodes (with replacement characters), as
        // `String(decoding:)` does everywhere else.
        let replaced = PackedObject(bytes: [7, 1, 4, 0x61, 5, 8, 0xC3, 0x28]).object
        #expect(replaced.root["a"]?.stringValue?.isEmpty == false)
    }

    /// `holds` walks the bytes with `isSubset`'s rules: the answers must be the same.
    @Test func holdsAnswersAsIsSubsetDoes() throws {
        let observed: Value = [
            "apiVersion": "v1", "kind": "X", "metadata": ["name": "x", "labels": ["a": "1", "b": "2"]],
            "spec": ["n": 1, "d": 1.5, "list": [["k": "v", "extra": true], 2], "empty": [:], "s": "héllo", "null": nil],
        ]
        let root = try #require(observed.objectValue)
        let packed = try #require(PackedObject(KubeObject(root: root)))
        let desired: [Value] = [
            observed, [:], ["metadata": ["labels": ["a": "1"]]], ["metadata": ["labels": ["a": "2"]]],
            ["metadata": ["labels": ["c": "1"]]], ["metadata": ["labels": ["c": nil, "d": [:], "e": []]]],
            ["spec": ["n": 1.0]], ["spec": ["n": 2]], ["spec": ["d": 1.5]], ["spec": ["d": "1.5"]],
            ["spec": ["list": [["k": "v"], 2]]], ["spec": ["list": [["k": "v"]]]], ["spec": ["list": [["k": "w"], 2]]],
            ["spec": ["list": [["k": "v"], 2, 3]]], ["spec": ["empty": nil]], ["spec": ["empty": []]], ["spec": ["empty": ["x": 1]]],
            ["spec": ["s": "héllo"]], ["spec": ["s": "he\u{301}llo"]], ["spec": ["s": "hello"]], ["spec": ["null": [:]]],
            ["spec": ["null": 0]], ["spec": "scalar"], ["spec": []], ["spec": nil], ["metadata": ["name": ["x"]]],
            ["spec": ["list": [:]]], ["spec": ["n": ["a": 1]]],
        ]
        for d in desired {
            #expect(packed.holds(d) == d.isSubset(of: observed), "\(JSONWriter.write(d, pretty: false))")
        }
        // Every fixture document against itself and against the previous document.
        var previous = OrderedMap()
        for (path, root) in Self.fixtureDocuments {
            let p = try #require(PackedObject(KubeObject(root: root)))
            #expect(p.holds(.object(root)), "\(path)")
            #expect(p.holds(.object(previous)) == Value.object(previous).isSubset(of: .object(root)), "\(path)")
            previous = root
        }
        // Bytes we did not produce hold nothing.
        #expect(!PackedObject(bytes: [7, 0xFF]).holds([:]))
        #expect(!PackedObject(bytes: []).holds([:]))
    }

    /// Decoding some top-level fields gives exactly those fields of the full tree, in order.
    @Test func decodingOnlySomeFieldsKeepsThoseExactly() throws {
        for fields: Set<String> in [["metadata"], ["metadata", "status"], ["apiVersion", "kind", "metadata"], [], ["absent"]] {
            for (path, root) in Self.fixtureDocuments {
                let p = try #require(PackedObject(KubeObject(root: root)))
                var expected = OrderedMap()
                for (k, v) in root where fields.contains(k) { expected[k] = v }
                #expect(identical(.object(p.object(only: fields).root), .object(expected)), "\(path) \(fields)")
            }
        }
        let cut = try #require(PackedObject(VT.server("s", group: "g")))
        for n in 0..<cut.bytes.count {
            #expect(PackedObject(bytes: Array(cut.bytes.prefix(n))).object(only: ["metadata"]).root.isEmpty)
        }
        // A snapshot hands a tree back whole, a packed object with the fields asked for.
        var server = VT.server("s", group: "g")
        server.status = ["phase": "Ready"]
        for packed in [false, true] {
            let s = Snapshot([server], packed: packed)
            let read = try #require(s.get(server.key, only: ["metadata"]))
            #expect(read.metadata == server.metadata)
            #expect(read.status.isNull == packed)
            #expect(s.get(ObjectKey(Kinds.mcpServer, namespace: VT.ns, name: "absent"), only: ["metadata"]) == nil)
        }
    }

    @Test func everyCommonStringIsDistinctAndFindable() {
        #expect(Set(CommonStrings.table).count == CommonStrings.table.count)
        for (i, s) in CommonStrings.table.enumerated() {
            #expect(CommonStrings.index(of: s) == i, "\(s)")
            // Near misses are found only when they are themselves in the table ("ports" → "port").
            for other in [s + "x", String(s.dropLast()), String(s.dropFirst()), s.uppercased()] where other != s {
                #expect(CommonStrings.index(of: other).map { CommonStrings.table[$0] } == (CommonStrings.table.contains(other) ? other : nil))
            }
        }
        #expect(CommonStrings.index(of: "") == nil)
    }
}

@Suite struct PackedSnapshotTests {
    /// Every read a controller makes gives the same trees from a packed snapshot as from a tree one.
    static func expectSameReads(_ objects: [KubeObject], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let trees = Snapshot(objects)
        let packed = Snapshot(objects, packed: true)
        #expect(packed.count == trees.count, sourceLocation: sourceLocation)
        #expect(Set(packed.keys) == Set(trees.keys), sourceLocation: sourceLocation)
        #expect(identical(packed.allObjects, trees.allObjects), sourceLocation: sourceLocation)
        #expect(Array(packed.keysByReference) == ObjectList.sortedByReference(objects).map(\.key), sourceLocation: sourceLocation)
        #expect(trees.keysByReference == packed.keysByReference, sourceLocation: sourceLocation)
        var visited: [ObjectKey: KubeObject] = [:]
        packed.forEachObject { visited[$0] = $1 }
        #expect(visited.count == objects.count, sourceLocation: sourceLocation)
        for o in objects {
            let key = o.key
            #expect(packed.get(key).map { identical($0.value, o.value) } == true, "\(key)", sourceLocation: sourceLocation)
            #expect(visited[key].map { identical($0.value, o.value) } == true, sourceLocation: sourceLocation)
            #expect(identical(packed.list(key.groupKind), trees.list(key.groupKind)), sourceLocation: sourceLocation)
            #expect(identical(packed.list(key.groupKind, namespace: key.namespace), trees.list(key.groupKind, namespace: key.namespace)), sourceLocation: sourceLocation)
            for (k, v) in o.labels {
                #expect(identical(packed.list(key.groupKind, namespace: key.namespace, matching: [k: v]), trees.list(key.groupKind, namespace: key.namespace, matching: [k: v])), sourceLocation: sourceLocation)
            }
            #expect(identical(packed.owned(by: o.uid), trees.owned(by: o.uid)), sourceLocation: sourceLocation)
            for index in FieldIndex.all where index.kinds.contains(key.groupKind) {
                for value in index.extract(o) {
                    #expect(identical(packed.lookup(index, namespace: key.namespace, value: value), trees.lookup(index, namespace: key.namespace, value: value)), sourceLocation: sourceLocation)
                    #expect(packed.lookup(index, kind: key.groupKind, namespace: key.namespace, value: value) == trees.lookup(index, kind: key.groupKind, namespace: key.namespace, value: value), sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test(arguments: GoldenCase.all)
    func packedSnapshotReadsAndPlansLikeTrees(_ c: GoldenCase) throws {
        let objects = try c.loadObjects()
        Self.expectSameReads(objects)
        let env = try c.environment()
        #expect(YAMLWriter.write(Simulator.simulate(Snapshot(objects, packed: true), env: env).value()) == YAMLWriter.write(Simulator.simulate(Snapshot(objects), env: env).value()))
    }

    @Test func replacingAndRemovingAPackedObjectKeepsTheIndexesInStep() throws {
        let server = VT.server("a", group: "g")
        var s = Snapshot([VT.group(), server], packed: true)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g") == [server.key])
        // A write from the engine replaces the packed object with a tree, moving its index entries.
        let moved = VT.server("a", group: "h")
        s.upsert(moved)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g").isEmpty)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "h") == [server.key])
        #expect(s.get(server.key).map { identical($0.value, moved.value) } == true)
        // Removing a packed object returns its tree and clears its index entries.
        var t = Snapshot([VT.group(), server], packed: true)
        let removedObject = t.remove(server.key)
        let removed = try #require(removedObject)
        #expect(identical(removed.value, server.value))
        #expect(t.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g").isEmpty)
        #expect(t.list(Kinds.mcpServer).isEmpty)
        #expect(t.count == 1)
    }

    @Test func listOrderAcrossAPIVersionsMatchesTheContract() {
        // Two versions of one kind, and a built-in kind sorting between them by apiVersion.
        var old = VT.server("z", group: "g")
        old.root["apiVersion"] = "toolhive.stacklok.dev/v1alpha1"
        let new = VT.server("a", group: "g")
        let cm = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: VT.ns, name: "m")
        let deploy = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "a-first", name: "d")
        let objects = [new, cm, old, deploy, VT.group()]
        let expected = ObjectList.sortedByReference(objects).map(\.key)
        #expect(Array(Snapshot(objects, packed: true).keysByReference) == expected)
        #expect(Array(Snapshot(objects).keysByReference) == expected)
        #expect(expected.first == deploy.key && expected.last == cm.key)
    }
}

extension KubeObject {
    /// A named copy (the deep test builds objects from bare trees).
    fileprivate func with(name: String) -> KubeObject {
        var o = self
        o.root["apiVersion"] = "v1"
        o.root["kind"] = "ConfigMap"
        o.setMeta("name", .string(name))
        return o
    }
}
