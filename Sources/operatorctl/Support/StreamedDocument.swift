import Dispatch
import KubeAdapter
import ReconcileCore
import Synchronization

/// Prints a Plan or List document item by item: items are produced in chunks on every core, at
/// most two chunks per core ahead of the thread that writes them in order, so memory holds a few
/// chunks of output instead of the whole document and both cores work on a large plan. The
/// bytes are those of writing the whole tree.
enum StreamedDocument {
    /// Hand the buffer to standard output once it holds this much (a pipe holds 64 KiB).
    static let flushBytes = 1 << 16
    /// Items per parallel task: enough to outweigh scheduling (a fresh server's reconcile takes
    /// ~0.1 ms), few enough to balance the cores and to keep the output waiting to be written
    /// small: two chunks per core, and a fresh server's reconcile prints ~11 KB. With 16 items a
    /// chunk and a 256 KiB buffer, output was ~1.4 MB of `simulate`'s peak at 10,000 servers.
    static let chunkSize = 4

    /// `item(i)` must be safe to call from several threads at once: it only reads value types.
    static func output(
        format: CommonOptions.Format, header: OrderedMap, listKey: String, count: Int,
        item: @escaping @Sendable (Int) -> Value
    ) -> StreamedOutput {
        { write in
            var writer = ListDocumentWriter(format: format.documentFormat, header: header, listKey: listKey)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(flushBytes + flushBytes / 2)
            writer.start(into: &buffer)
            let chunks = (count + chunkSize - 1) / chunkSize
            let workers = max(1, min(ProcessEnvironment.processorCount, chunks))
            let pipeline = EncodingPipeline(chunks: chunks, lookahead: workers * 2)
            let encoder = writer  // encoding reads only the format; the writer's count stays here
            @Sendable func encodeChunk(_ c: Int, _ cache: inout YAMLRenderCache) -> EncodedChunk {
                let lo = c * chunkSize
                return encode(lo..<min(count, lo + chunkSize), writer: encoder, item: item, cache: &cache)
            }
            // One thread fewer than cores: this thread writes, and encodes while it waits (a third
            // thread cost ~0.8 MB of resident memory at 10,000 servers, for no speed).
            for _ in 1..<workers {
                DispatchQueue.global().async {
                    var cache = YAMLRenderCache(constants: SharedDesiredParts.all)
                    pipeline.work { encodeChunk($0, &cache) }
                }
            }
            var cache = YAMLRenderCache(constants: SharedDesiredParts.all)
            for c in 0..<chunks {
                let chunk = pipeline.take(c) { encodeChunk($0, &cache) }
                var start = 0
                for itemEnd in chunk.ends {
                    writer.append(encoded: chunk.bytes[start..<itemEnd], into: &buffer)
                    start = itemEnd
                    if buffer.count >= flushBytes {
                        write(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
            }
            writer.finish(into: &buffer)
            write(buffer)
        }
    }

    /// The contract's List of every object in `snapshot` (sorted by apiVersion, kind, namespace,
    /// name); a packed object is decoded only while its item is written.
    static func list(_ snapshot: Snapshot, format: CommonOptions.Format) -> StreamedOutput {
        let keys = snapshot.keysByReference
        return output(format: format, header: ObjectList.header, listKey: ObjectList.listKey, count: keys.count) { snapshot.get(keys[$0])?.value ?? .null }
    }

    /// One chunk's items encoded back to back: `ends[i]` is where item i's bytes end.
    fileprivate struct EncodedChunk: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    /// Encodes `range` into one buffer, sized from the first item: growing a fresh buffer per
    /// item (a fresh server's reconcile prints ~11 KB) copied every item's bytes several times.
    private static func encode(_ range: Range<Int>, writer: ListDocumentWriter, item: (Int) -> Value, cache: inout YAMLRenderCache) -> EncodedChunk {
        var encoded = EncodedChunk()
        encoded.ends.reserveCapacity(range.count)
        for i in range {
            writer.encode(item(i), into: &encoded.bytes, cache: &cache)
            if i == range.lowerBound { encoded.bytes.reserveCapacity(encoded.bytes.count * range.count) }
            encoded.ends.append(encoded.bytes.count)
        }
        return encoded
    }
}

/// Chunks encoded by worker threads and taken in order by the writing thread, at most
/// `lookahead` chunks ahead of it. The workers never wait for the writer between windows (a
/// barrier per window left a core idle while the other finished its chunk and while output was
/// copied), and memory still holds a bounded window of output.
private final class EncodingPipeline: Sendable {
    private let chunks: Int
    private let lookahead: Int
    /// Chunk `c` waits in slot `c % lookahead` until taken; a slot is reused only after its
    /// chunk was taken, because a worker claims a chunk only with a free token.
    private let slots: Mutex<[StreamedDocument.EncodedChunk?]>
    private let filled: [DispatchSemaphore]
    private let free: DispatchSemaphore
    private let next = Mutex(0)

    init(chunks: Int, lookahead: Int) {
        self.chunks = chunks
        self.lookahead = max(1, lookahead)
        slots = Mutex([StreamedDocument.EncodedChunk?](repeating: nil, count: max(1, lookahead)))
        filled = (0..<max(1, lookahead)).map { _ in DispatchSemaphore(value: 0) }
        free = DispatchSemaphore(value: max(1, lookahead))
    }

    /// Claims chunks in order and encodes them until none are left.
    func work(_ encode: (Int) -> StreamedDocument.EncodedChunk) {
        while encodeNext(encode, waiting: true) {}
    }

    /// Claims the next chunk and encodes it; false when none is left, or when `waiting` is false
    /// and the window is full.
    private func encodeNext(_ encode: (Int) -> StreamedDocument.EncodedChunk, waiting: Bool) -> Bool {
        if waiting {
            free.wait()
        } else if free.wait(timeout: .now()) == .timedOut {
            return false
        }
        let c = next.withLock { n in
            defer { n += 1 }
            return n
        }
        guard c < chunks else {
            free.signal()  // lets the other workers see the end too
            return false
        }
        let encoded = encode(c)
        slots.withLock { $0[c % lookahead] = encoded }
        filled[c % lookahead].signal()
        return true
    }

    /// Chunk `c`, once encoded; chunks must be taken in order 0, 1, 2... While it is not ready,
    /// the caller encodes chunks that are still unclaimed (`encode`).
    func take(_ c: Int, helping encode: (Int) -> StreamedDocument.EncodedChunk) -> StreamedDocument.EncodedChunk {
        while filled[c % lookahead].wait(timeout: .now()) == .timedOut {
            if !encodeNext(encode, waiting: false) {
                filled[c % lookahead].wait()
                break
            }
        }
        let chunk = slots.withLock { slots in
            defer { slots[c % lookahead] = nil }
            return slots[c % lookahead] ?? StreamedDocument.EncodedChunk()
        }
        free.signal()
        return chunk
    }
}

extension CommonOptions.Format {
    var documentFormat: ListDocumentWriter.Format {
        switch self {
        case .yaml: return .yaml
        case .json: return .json
        }
    }
}
