import Dispatch
import KubeAdapter
import ReconcileCore
import Synchronization

/// Prints a Plan or List document item by item: items are produced in parallel, a window at a
/// time, and written in order, so memory holds one window of output instead of the whole
/// document and both cores work on a large plan. The bytes are those of writing the whole tree.
enum StreamedDocument {
    /// Hand the buffer to standard output once it holds this much (a pipe holds 64 KiB).
    static let flushBytes = 1 << 16
    /// Items per parallel task: enough to outweigh scheduling (a fresh server's reconcile takes
    /// ~0.1 ms), few enough to balance the cores and to keep a window's output small: a window
    /// is two chunks per core, and a fresh server's reconcile prints ~11 KB. With 16 items a
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
            let workers = ProcessEnvironment.processorCount
            let window = chunkSize * workers * 2
            var base = 0
            while base < count {
                let end = min(count, base + window)
                for chunk in encodeInParallel(base..<end, writer: writer, item: item) {
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
                base = end
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
    private struct EncodedChunk: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    /// Encodes `range` in chunks on all cores; the result keeps the range's order. A chunk's
    /// items share one buffer, sized from the first item: growing a fresh buffer per item (a
    /// fresh server's reconcile prints ~11 KB) copied every item's bytes several times.
    private static func encodeInParallel(_ range: Range<Int>, writer: ListDocumentWriter, item: @Sendable (Int) -> Value) -> [EncodedChunk] {
        let chunks = (range.count + chunkSize - 1) / chunkSize
        let results = Mutex([EncodedChunk](repeating: EncodedChunk(), count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = range.lowerBound + c * chunkSize
            let hi = min(range.upperBound, lo + chunkSize)
            var encoded = EncodedChunk()
            encoded.ends.reserveCapacity(hi - lo)
            for i in lo..<hi {
                writer.encode(item(i), into: &encoded.bytes)
                if i == lo { encoded.bytes.reserveCapacity(encoded.bytes.count * (hi - lo)) }
                encoded.ends.append(encoded.bytes.count)
            }
            results.withLock { $0[c] = encoded }
        }
        return results.withLock { $0 }
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
