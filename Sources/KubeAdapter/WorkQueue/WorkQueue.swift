/// The live work queue: `WorkQueueState` driven by a monotonic clock, with workers awaiting keys.
/// Delayed keys (backoff, `requeueAfter`) are promoted by a timer task sleeping until the earliest is due.
public actor WorkQueue {
    private var state: WorkQueueState
    private var waiters: [CheckedContinuation<ReconcileRequestKey?, Never>] = []
    private var timer: Task<Void, Never>?
    private var timerDue: Double?
    private let start = ContinuousClock.now
    private let metrics: Metrics?

    public init(limiter: ControllerRateLimiter = ControllerRateLimiter(), metrics: Metrics? = nil) {
        state = WorkQueueState(limiter: limiter)
        self.metrics = metrics
    }

    private var now: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    public func add(_ key: ReconcileRequestKey) {
        state.add(key)
        pump()
    }
    public func add(_ key: ReconcileRequestKey, after seconds: Double) {
        state.add(key, after: seconds, now: now)
        pump()
    }
    public func addRateLimited(_ key: ReconcileRequestKey) {
        state.addRateLimited(key, now: now)
        pump()
    }
    public func forget(_ key: ReconcileRequestKey) { state.forget(key) }
    public func done(_ key: ReconcileRequestKey) {
        state.done(key)
        pump()
    }
    public var depth: Int { state.depth }
    public var isIdle: Bool { state.depth == 0 && state.processing.isEmpty }

    /// The next key, waiting until one is ready; nil once the queue is shut down.
    public func get() async -> ReconcileRequestKey? {
        if let key = state.next(now: now) { report(); return key }
        if state.shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    public func shutDown() {
        state.shutDown()
        timer?.cancel()
        let w = waiters
        waiters = []
        for c in w { c.resume(returning: nil) }
    }

    /// Hands ready keys to waiting workers and (re)arms the timer for the next delayed key.
    private func pump() {
        while !waiters.isEmpty, let key = state.next(now: now) {
            waiters.removeFirst().resume(returning: key)
        }
        report()
        guard let due = state.nextWakeup else { return }
        if let timerDue, timerDue <= due { return }
        timer?.cancel()
        timerDue = due
        let delay = max(0, due - now)
        timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9) + 1_000_000)
            guard !Task.isCancelled else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() {
        timerDue = nil
        timer = nil
        pump()
    }

    private func report() {
        metrics?.setQueue(depth: state.depth, adds: state.addsTotal, retries: state.retriesTotal)
    }
}
