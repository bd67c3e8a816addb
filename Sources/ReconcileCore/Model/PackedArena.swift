/// Bytes that packed objects live in: one allocation holding many objects back to back.
///
/// A chunk is written only at its tail, by the one `PackedArena` that owns it, and a byte once
/// written never changes. A `PackedObject` reads only its own bytes and the earlier bytes its
/// strings refer to, so readers on other threads never touch memory that is being written:
/// that is why sharing the storage across threads is sound (`@unchecked Sendable`).
struct PackedChunk: @unchecked Sendable {
    /// The bytes, allocated with the object (the header is the room asked for).
    private final class Storage: ManagedBuffer<Int, UInt8> {}
    private let storage: Storage

    /// A chunk with room for `capacity` bytes (none written yet).
    init(capacity: Int) {
        storage = unsafeDowncast(Storage.create(minimumCapacity: max(1, capacity)) { _ in max(0, capacity) }, to: Storage.self)
    }

    /// A chunk holding exactly `bytes`.
    init(holding bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        write(bytes, at: 0)
    }

    /// Room in bytes, as asked for (the allocation may be larger).
    var room: Int { storage.header }

    /// Copies `bytes` in at `offset`; the caller owns that range.
    func write(_ bytes: [UInt8], at offset: Int) {
        guard offset >= 0, bytes.count <= room - offset else { return }
        storage.withUnsafeMutablePointerToElements { base in
            bytes.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress else { return }
                (base + offset).update(from: from, count: source.count)
            }
        }
    }

    /// The first `end` bytes, which must all have been written.
    func read<R>(upTo end: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeMutablePointerToElements { base in body(UnsafeBufferPointer(start: base, count: min(max(0, end), room))) }
    }
}

/// Where a snapshot packs the objects it stores: objects go one after another into 64 KiB
/// chunks, and a string that an earlier object in the same chunk already holds is written as a
/// reference to those bytes.
///
/// Packed one allocation each, 10,000 servers' objects took 0.6 MB of array headers and
/// allocator overhead besides their 2.7 MB of bytes, and every server repeated its image, env
/// names and config names: together about half of what the packed bytes cost.
///
/// Only the arena that owns a chunk writes to it. A copied snapshot shares its writer until one
/// copy packs something: that copy then starts a chunk of its own (the writer is a class, and a
/// writer referenced twice is never written through), so copies never write the same bytes.
struct PackedArena: Sendable {
    /// Chunk size: big enough that repeated strings are usually found in the current chunk,
    /// small enough that a snapshot of a few objects does not reserve much.
    static let chunkBytes = 1 << 16
    /// An object bigger than this is packed into a chunk of its own, exactly its size.
    static let largestShared = chunkBytes / 4
    /// Shorter strings are written out: a reference costs two to four bytes.
    static let shortestShared = 4

    /// The chunk being filled, how much of it is written, and where the strings written in it
    /// so far start. Only written through while uniquely referenced (see the type's comment).
    private final class Writer: @unchecked Sendable {
        let chunk: PackedChunk
        var used = 0
        var known: [String: UInt32] = [:]
        init(chunk: PackedChunk) { self.chunk = chunk }
    }

    private var writer: Writer?

    init() {}

    /// `object` packed into the current chunk (a new one when it does not fit, or a chunk of its
    /// own when it is large); nil when it is too deep to pack.
    mutating func pack(_ object: KubeObject) -> PackedObject? {
        var current: Writer
        if isKnownUniquelyReferenced(&writer), let owned = writer {
            current = owned
        } else {
            current = startChunk()
        }
        guard var encoded = PackedObject.encode(object, sharing: current.known) else { return nil }
        if encoded.bytes.count > Self.largestShared { return PackedObject(object) }
        if encoded.bytes.count > current.chunk.room - current.used {
            current = startChunk()
            guard let fresh = PackedObject.encode(object, sharing: [:]) else { return nil }
            // Written out, its shared strings make it at most 2.5 times longer: still within a
            // fresh chunk, but never write past one.
            guard fresh.bytes.count <= current.chunk.room else { return PackedObject(object) }
            encoded = fresh
        }
        let start = current.used
        current.chunk.write(encoded.bytes, at: start)
        current.used += encoded.bytes.count
        for (s, offset) in encoded.fresh where current.known[s] == nil {
            current.known[s] = UInt32(start + offset)
        }
        return PackedObject(chunk: current.chunk, start: start, count: encoded.bytes.count)
    }

    /// A new, empty chunk, from now on the one written to.
    private mutating func startChunk() -> Writer {
        let fresh = Writer(chunk: PackedChunk(capacity: Self.chunkBytes))
        writer = fresh
        return fresh
    }
}
