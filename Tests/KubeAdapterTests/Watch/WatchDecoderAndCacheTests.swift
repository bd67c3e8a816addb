import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct WatchDecoderAndCacheTests {
    let added = #"{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","resourceVersion":"5"}}}"#

    @Test func linesSplitAcrossChunksAreJoined() {
        var d = WatchEventDecoder()
        let bytes = Array((added + "\n").utf8)
        var events: [WatchEvent] = []
        // Every possible split point, plus byte-by-byte.
        for cut in 1..<bytes.count {
            var d2 = WatchEventDecoder()
            let e = d2.feed(Array(bytes[..<cut])) + d2.feed(Array(bytes[cut...]))
            #expect(e.count == 1)
        }
        for b in bytes { events += d.feed([b]) }
        #expect(events.count == 1)
        guard case .added(let o)? = events.first else { Issue.record("not an ADDED event"); return }
        #expect(o.name == "a")
        #expect(o.resourceVersion == "5")
    }

    @Test func severalEventsInOneChunkAndTrailingLine() {
        var d = WatchEventDecoder()
        let text = added + "\r\n\n" + #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}"# + "\n"
            + #"{"type":"DELETED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","resourceVersion":"10"}}}"#
        let events = d.feed(Array(text.utf8))
        #expect(events.count == 2)
        #expect(events.last == .bookmark(resourceVersion: "9"))
        let tail = d.finish()
        #expect(tail.count == 1)
        if case .deleted(let o)? = tail.first { #expect(o.resourceVersion == "10") } else { Issue.record("expected DELETED") }
        #expect(d.finish().isEmpty)
    }

    @Test func errorEventsAndGarbage() {
        var d = WatchEventDecoder()
        let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#
        let events = d.feed(Array((gone + "\n{not json\n" + #"{"type":"WHAT","object":{}}"# + "\n" + #"{"type":"ADDED","object":{"kind":"X"}}"# + "\n").utf8))
        #expect(events.count == 4)
        #expect(events[0] == .error(code: 410, reason: "Expired", message: "too old resource version: 1 (5)"))
        if case .invalid(let m) = events[1] { #expect(m.contains("malformed")) } else { Issue.record("expected invalid") }
        if case .invalid(let m) = events[2] { #expect(m.contains("WHAT")) } else { Issue.record("expected invalid") }
        if case .invalid = events[3] {} else { Issue.record("expected invalid") }
    }

    func cm(_ name: String, rv: String, data: String = "1") -> KubeObject {
        var o = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: name)
        o.resourceVersion = rv
        o.root["data"] = ["k": .string(data)]
        return o
    }

    @Test func cacheTracksEventsAndResourceVersions() {
        var c = ObjectCache()
        let changes = c.replace(Kinds.configMap, namespace: nil, with: [cm("a", rv: "3"), cm("b", rv: "4")], resourceVersion: "4")
        #expect(changes.count == 2)
        #expect(c.synced.contains(Kinds.configMap))
        #expect(c.resourceVersions[Kinds.configMap] == "4")

        let update = c.apply(.modified(cm("a", rv: "6", data: "2")), kind: Kinds.configMap)
        #expect(update?.previous?.root["data"] == ["k": "1"])
        #expect(update?.current?.root["data"] == ["k": "2"])
        #expect(c.apply(.modified(cm("a", rv: "6", data: "2")), kind: Kinds.configMap) == nil)
        #expect(c.apply(.bookmark(resourceVersion: "8"), kind: Kinds.configMap) == nil)
        #expect(c.resourceVersions[Kinds.configMap] == "8")

        let deletion = c.apply(.deleted(cm("b", rv: "9")), kind: Kinds.configMap)
        #expect(deletion?.current == nil)
        #expect(deletion?.previous?.name == "b")
        #expect(c.snapshot.list(Kinds.configMap).map(\.name) == ["a"])
    }

    @Test func relistReportsWhatVanished() {
        var c = ObjectCache()
        _ = c.replace(Kinds.configMap, namespace: nil, with: [cm("a", rv: "3"), cm("b", rv: "4")], resourceVersion: "4")
        let changes = c.replace(Kinds.configMap, namespace: nil, with: [cm("b", rv: "4"), cm("c", rv: "12")], resourceVersion: "12")
        #expect(changes == [CacheChange(previous: cm("a", rv: "3"), current: nil), CacheChange(previous: nil, current: cm("c", rv: "12"))])
        #expect(c.snapshot.count == 2)
    }

    @Test func ownWritesDoNotGoBackInTime() {
        var c = ObjectCache()
        _ = c.replace(Kinds.configMap, namespace: nil, with: [cm("a", rv: "7")], resourceVersion: "7")
        #expect(c.observeWrite(cm("a", rv: "5", data: "old")) == nil)
        #expect(c.observeWrite(cm("a", rv: "8", data: "new")) != nil)
        #expect(c.snapshot.get(Kinds.configMap, namespace: "default", name: "a")?.resourceVersion == "8")
    }
}
