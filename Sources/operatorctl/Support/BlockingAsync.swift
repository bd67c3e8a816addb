import Dispatch

/// Runs an async operation to completion from synchronous command code. The long-running
/// commands (`run`, `sandbox`) use it; the main thread only waits, it is not a concurrency worker.
func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T? {
    let handoff = Handoff<T>()
    Task.detached { handoff.put(await operation()) }
    return handoff.take()
}

/// One value passed from the thread that makes it to the one that waits for it.
final class Handoff<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    /// Called once, by the producing thread.
    func put(_ value: T) {
        self.value = value
        done.signal()
    }

    /// Waits for the value; called once, by the consuming thread. The semaphore orders the
    /// producer's write before this read.
    func take() -> T? {
        done.wait()
        return value
    }
}
