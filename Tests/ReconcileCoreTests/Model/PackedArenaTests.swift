import Dispatch
import Synchronization
import Testing
@testable import ReconcileCore

/// Lets two tasks start their work at the same moment (each waits, for at most a second, until
/// both have arrived), so that what they do really overlaps.
private final class StartLine: Sendable {
    private let arrived = Mutex(0)
    func wait(for parties: Int) {
        arrived.withLock { $0 += 1 }
        for _ in 0..<1_000_000 where arrived.withLock({ $0 }) < parties {}
    }
}

@Suite struct PackedArenaTests {
    static let image = "ghcr.io/stackloklabs/gofetch/server:1.0.0"

    static func server(_ i: Int, image: String = image, padding: Int = 0) -> KubeObject {
        let root: Value = [
            "apiVersion": "toolhive.stacklok.dev/v1beta1", "kind": "MCPServer", "metadata": ["name": .string("server-\(i)"), "namespace": "bench"],
        ]
        var o = KubeObject(root: root.objectValue ?? OrderedMap())
        o.spec = [
            "image": .string(image), "groupRef": ["name": .string("group-\(i % 3)")],
            "env": [["name": "LOG_LEVEL", "value": "info"]], "note": .string(String(repeating: "p", count: padding)),
        ]
        return o
    }

    @Test func aStringAnEarlierObjectHoldsIsWrittenAsAReference() throws {
        var arena = PackedArena()
        let packedFirst = arena.pack(Self.server(1))
        let packedSecond = arena.pack(Self.server(2))
        let first = try #require(packedFirst)
        let second = try #require(packedSecond)
        let alone = try #require(PackedObject(Self.server(2)))
        // The image (41 bytes) and "LOG_LEVEL" become references of a few bytes each.
        #expect(second.bytes.count + 41 <= alone.bytes.count, "\(second.bytes.count) shared, \(alone.bytes.count) alone")
        #expect(first.bytes.count == PackedObject(Self.server(1))?.bytes.count)
        #expect(PackedSnapshotTests.identicalObjects(second.object, Self.server(2)))
        #expect(PackedSnapshotTests.identicalObjects(first.object, Self.server(1)))
        // Both live in one chunk, one after the other.
        #expect(second.start == first.start + first.count)
    }

    @Test func objectsAcrossManyChunksAndLargeOnesDecodeExactly() throws {
        var arena = PackedArena()
        var packed: [(PackedObject, KubeObject)] = []
        // ~400 KB: several chunks; every 97th object is larger than a chunk shares.
        for i in 0..<4_000 {
            let padding = i % 97 == 0 ? PackedArena.largestShared + 10 : i % 50
            let o = Self.server(i, image: "registry.example/image-\(i % 7):v1", padding: padding)
            let p = arena.pack(o)
            packed.append((try #require(p), o))
        }
        var chunks = 0
        for (i, (p, o)) in packed.enumerated() {
            #expect(PackedSnapshotTests.identicalObjects(p.object, o), "object \(i)")
            #expect(p.holds(o.value))
            #expect(p.rootString("kind") == "MCPServer")
            if i > 0, i % 97 != 0, p.start == 0 { chunks += 1 }
            if i % 97 == 0 { #expect(p.start == 0 && p.count == p.chunk.room, "a large object has a chunk of its own") }
        }
        #expect(chunks >= 3, "\(chunks) new chunks")
    }

    /// A copied snapshot shares its chunk; copies written on two threads at once must not write
    /// the same bytes (each starts a chunk of its own). Dispatch's threads, not the test pool's,
    /// so that both really run at once.
    @Test func copiesOfASnapshotWriteToChunksOfTheirOwn() throws {
        let base = Snapshot([Self.server(0), Self.server(1)], packed: true)
        let count = 3_000
        let tags = ["a", "b"]
        let start = StartLine()
        let filled = Mutex([String: Snapshot]())
        DispatchQueue.concurrentPerform(iterations: tags.count) { t in
            var copy = base
            start.wait(for: tags.count)
            for i in 2..<count { copy.upsert(Self.server(i, image: "\(tags[t])-image-\(i % 5)", padding: i % 13), packed: true) }
            filled.withLock { $0[tags[t]] = copy }
        }
        for (tag, s) in filled.withLock({ $0 }) {
            for i in 0..<count {
                let expected = i < 2 ? Self.server(i) : Self.server(i, image: "\(tag)-image-\(i % 5)", padding: i % 13)
                #expect(s.get(expected.key).map { PackedSnapshotTests.identicalObjects($0, expected) } == true, "\(tag) \(i)")
            }
        }
        #expect(filled.withLock { $0.count } == 2)
        #expect(base.count == 2)
    }

    /// Readers on other threads decode objects of the chunk the owner keeps writing to.
    @Test func objectsReadOnOtherThreadsWhileTheChunkFills() async throws {
        var snapshot = Snapshot([Self.server(0)], packed: true)
        let firstKey = Self.server(0).key
        let stored = try #require(snapshot.stored(firstKey))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var same = true
                    for _ in 0..<200 { same = same && PackedSnapshotTests.identicalObjects(stored.object, Self.server(0)) }
                    return same
                }
            }
            for i in 1..<300 { snapshot.upsert(Self.server(i), packed: true) }
            for try await same in group { #expect(same) }
        }
        #expect(snapshot.count == 300)
    }
}

extension PackedSnapshotTests {
    static func identicalObjects(_ a: KubeObject, _ b: KubeObject) -> Bool { identical(a.value, b.value) }
}
