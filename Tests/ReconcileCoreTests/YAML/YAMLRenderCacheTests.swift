import Testing
@testable import ReconcileCore

/// Printing through a render cache gives the bytes of printing without one.
@Suite struct YAMLRenderCacheTests {
    static let rules: Value = ["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "yes"]]
    static let list: Value = ["a", "multi\nline\n", ["k": "v"], [1, 2]]

    /// Documents that hold the shared parts at several indentations, first in a sequence entry
    /// (padding already written) and as a map value, and next to changed copies of them.
    static var documents: [Value] {
        var changed = rules
        changed.set(path: ["verbs"], to: ["watch"])
        var grown = list.arrayValue ?? []
        grown.append("more")
        return [
            ["kind": "Role", "rules": [rules, rules], "nested": ["deeper": ["rules": rules, "list": list]]],
            ["kind": "Role", "rules": [changed, rules], "list": .array(grown)],
            ["list": list, "items": [list, ["x": list]]],
            rules,
            list,
        ]
    }

    static func printed(_ documents: [Value], cache: inout YAMLRenderCache) -> String {
        let writer = ListDocumentWriter(format: .yaml, header: Plan.header, listKey: Plan.listKey)
        var out: [UInt8] = []
        for d in documents { writer.encode(d, into: &out, cache: &cache) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func cachedPrintingGivesTheSameBytes() {
        var off = YAMLRenderCache.off
        let expected = Self.printed(Self.documents, cache: &off)
        var cache = YAMLRenderCache(constants: [Self.rules, Self.list, "a scalar is ignored", [:]])
        #expect(!cache.isOff)
        // Twice with one cache: the second time every shared part comes from the cache.
        #expect(Self.printed(Self.documents, cache: &cache) == expected)
        #expect(Self.printed(Self.documents, cache: &cache) == expected)
        #expect(off.isOff)
    }

    @Test func aSharedPartIsFoundOnlyAtItsOwnIndentation() {
        var cache = YAMLRenderCache(constants: [Self.list])
        guard let address = YAMLRenderCache.address(of: Self.list) else {
            Issue.record("a non-empty list has storage")
            return
        }
        guard case .printNow = cache.lookup(address, indent: 2, firstPadded: true) else {
            Issue.record("not yet printed")
            return
        }
        cache.keep(address, indent: 2, firstPadded: true, bytes: Array("  - a\n".utf8)[...])
        if case .printed(let bytes) = cache.lookup(address, indent: 2, firstPadded: true) {
            #expect(bytes == Array("  - a\n".utf8))
        } else {
            Issue.record("kept bytes not found")
        }
        guard case .printNow = cache.lookup(address, indent: 4, firstPadded: true) else {
            Issue.record("another indentation is printed anew")
            return
        }
        guard case .printNow = cache.lookup(address, indent: 2, firstPadded: false) else {
            Issue.record("a first line without padding is printed anew")
            return
        }
        // A copy that changed has storage of its own: not a constant.
        var copy = Self.list.arrayValue ?? []
        copy[0] = "b"
        let copyAddress = YAMLRenderCache.address(of: copy)
        guard case .other = cache.lookup(copyAddress, indent: 2, firstPadded: true) else {
            Issue.record("a changed copy is not the constant")
            return
        }
    }

    @Test func theBuildersSharedPartsAreDistinctCollections() {
        let cache = YAMLRenderCache(constants: SharedDesiredParts.all)
        #expect(!cache.isOff)
        let addresses = SharedDesiredParts.all.compactMap(YAMLRenderCache.address(of:))
        #expect(addresses.count == SharedDesiredParts.all.count)
        #expect(Set(addresses).count == addresses.count)
    }
}
