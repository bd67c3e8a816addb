import Testing
@testable import ReconcileCore

/// Streaming a document item by item gives exactly the bytes of writing the whole tree.
@Suite struct ListDocumentWriterTests {
    static let items: [Value] = [
        ["controller": "MCPServer", "actions": [], "object": ["name": "a", "labels": ["x": "yes"]]],
        ["controller": "MCPGroup", "actions": [["op": "apply", "object": ["data": ["k": "line1\nline2\n"]]]]],
        "a scalar item",
        [1, 2.5, nil, true],
        [:],
        [],
    ]

    static func streamed(_ format: ListDocumentWriter.Format, _ items: [Value]) -> String {
        var writer = ListDocumentWriter(format: format, header: Plan.header, listKey: Plan.listKey)
        var out: [UInt8] = []
        writer.start(into: &out)
        for item in items { writer.append(item, into: &out) }
        writer.finish(into: &out)
        #expect(writer.itemCount == items.count)
        return String(decoding: out, as: UTF8.self)
    }

    static func whole(_ items: [Value]) -> Value {
        var root = Plan.header
        root[Plan.listKey] = .array(items)
        return .object(root)
    }

    @Test(arguments: [0, 1, 2, items.count])
    func yamlMatchesWholeTree(count: Int) {
        let items = Array(Self.items.prefix(count))
        #expect(Self.streamed(.yaml, items) == YAMLWriter.write(Self.whole(items)))
    }

    @Test(arguments: [0, 1, 2, items.count])
    func jsonMatchesWholeTree(count: Int) {
        let items = Array(Self.items.prefix(count))
        #expect(Self.streamed(.json, items) == JSONWriter.write(Self.whole(items)))
    }

    @Test func emptyListsPrintAsEmptyCollections() {
        #expect(Self.streamed(.yaml, []).hasSuffix("kind: Plan\nreconciles: []\n"))
        #expect(Self.streamed(.json, []).hasSuffix("\"kind\": \"Plan\",\n  \"reconciles\": []\n}\n"))
    }

    @Test func encodedItemsJoinedInOrderMatchAppend() {
        var direct = ListDocumentWriter(format: .json, header: ObjectList.header, listKey: ObjectList.listKey)
        var joined = direct
        var a: [UInt8] = [], b: [UInt8] = []
        for item in Self.items {
            direct.append(item, into: &a)
            var bytes: [UInt8] = []
            var cache = YAMLRenderCache.off
            joined.encode(item, into: &bytes, cache: &cache)
            joined.append(encoded: bytes[...], into: &b)
        }
        #expect(a == b)
    }
}
