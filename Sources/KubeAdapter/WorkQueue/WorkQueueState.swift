import ReconcileCore

/// What the queue holds: a reconcile request (controller + object key).
public typealias ReconcileRequestKey = ReconcileRequest

/// The work queue's bookkeeping as a pure value, driven by an explicit `now`, so dedup, backoff,
/// rate limiting and delayed requeues are unit-tested without timers. client-go semantics:
/// - a key waiting in the queue is not added twice (dirty set);
/// - a key being processed is not handed out again; re-added meanwhile, it is queued on `done`;
/// - `addAfter` keeps the earliest pending time per key.
public struct WorkQueueState: Sendable {
    public private(set) var queue: [ReconcileRequestKey] = []
    private var dirty: Set<ReconcileRequestKey> = []
    public private(set) var processing: Set<ReconcileRequestKey> = []
    private var waiting: [ReconcileRequestKey: Double] = [:]
    public var limiter: ControllerRateLimiter
    public private(set) var addsTotal = 0
    public private(set) var retriesTotal = 0
    public private(set) var shuttingDown = false

    public init(limiter: ControllerRateLimiter = ControllerRateLimiter()) { self.limiter = limiter }

    /// Items ready to be handed out (`workqueue_depth`).
    public var depth: Int { queue.count }
    /// Items waiting for a delay to pass.
    public var waitingCount: Int { waiting.count }

    public mutating func add(_ key: ReconcileRequestKey) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        addsTotal += 1
        dirty.insert(key)
        if processing.contains(key) { return }
        queue.append(key)
    }

    public mutating func add(_ key: ReconcileRequestKey, after delay: Double, now: Double) {
        guard !shuttingDown else { return }
        if delay <= 0 { add(key); return }
        let at = now + delay
        if let existing = waiting[key], existing <= at { return }
        waiting[key] = at
    }

    /// Re-adds a failed key after its backoff (and the overall bucket's) delay.
    public mutating func addRateLimited(_ key: ReconcileRequestKey, now: Double) {
        retriesTotal += 1
        add(key, after: limiter.when(key, now: now), now: now)
    }

    /// Clears a key's failure count after a success.
    public mutating func forget(_ key: ReconcileRequestKey) { limiter.forget(key) }

    /// Moves every delayed key whose time has come into the queue.
    public mutating func promote(now: Double) {
        let due = waiting.filter { $0.value <= now }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        for (key, _) in due {
            waiting[key] = nil
            add(key)
        }
    }

    /// The next key to process, if any is ready; it stays "processing" until `done`.
    public mutating func next(now: Double) -> ReconcileRequestKey? {
        promote(now: now)
        guard !queue.isEmpty else { return nil }
        let key = queue.removeFirst()
        processing.insert(key)
        dirty.remove(key)
        return key
    }

    public mutating func done(_ key: ReconcileRequestKey) {
        processing.remove(key)
        if dirty.contains(key) { queue.append(key) }
    }

    /// When the earliest delayed key becomes due (for the driver's timer).
    public var nextWakeup: Double? { waiting.values.min() }

    public mutating func shutDown() {
        shuttingDown = true
        waiting = [:]
    }
}
