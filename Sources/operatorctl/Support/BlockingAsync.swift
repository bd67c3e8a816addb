import Dispatch

/// Runs an async operation to completion from synchronous command code. The long-running
/// commands (`run`, `sandbox`) use it; the main thread only waits, it is not a concurrency worker.
func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await operation()
        done.signal()
    }
    done.wait()
    // The semaphore orders the write before this read.
    return box.value
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
