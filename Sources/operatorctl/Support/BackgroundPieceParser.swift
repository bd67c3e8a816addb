import Dispatch
import KubeAdapter
import ReconcileCore
import Synchronization

/// A `PieceParser` that parses YAML pieces on the other cores while the reading thread cuts the
/// stream and adds objects to the snapshot. Loading was single-threaded: at 10,000 servers,
/// parsing is about half of it, and every command waits for the whole load.
enum BackgroundPieceParser {
    /// Batches started and not yet taken, per parsing core, and the input bytes per batch (~20
    /// documents of the benchmark): enough to keep the cores busy and hand-offs rare, while the
    /// trees waiting to be taken stay small (32 KB batches peaked ~0.3 MiB higher, no faster).
    static let windowPerCore = 2
    static let batchBytes = 1 << 13

    /// One serial queue per spare core, given batches in turn; `.inline` on a single core.
    static func make(processorCount: Int = ProcessEnvironment.processorCount) -> PieceParser {
        guard processorCount > 1 else { return .inline }
        let queues = (1..<processorCount).map { DispatchQueue(label: "operatorctl.parse.\($0)") }
        let turn = Mutex(0)
        return PieceParser(window: windowPerCore * queues.count, batchBytes: batchBytes) { work in
            let handoff = Handoff<[PieceParser.Result]>()
            let queue = turn.withLock { n in
                defer { n += 1 }
                return queues[n % queues.count]
            }
            queue.async { handoff.put(work()) }
            // `put` always runs before `take` returns, so the fallback (parse here) is unreachable.
            return { handoff.take() ?? work() }
        }
    }
}
