import ReconcileCore

/// `operatorctl sandbox --assume-ready`: plays the cluster's other actors (the offline engine's
/// world rules: Deployment/StatefulSet controllers and kubelet, Service controller, proxy runner,
/// vMCP runtime) against a sandbox store, on a background thread, every `interval` seconds.
///
/// Each tick lists every kind the catalog serves into a `Snapshot`, asks each rule in turn for its
/// changes (a rule sees the writes of the rules before it in the same tick) and carries them out
/// through the `SandboxStore` API, so watches see them like any client's write:
/// - `.upsert`: create when absent (a new object keeps the status it carries: create, then write
///   `/status`); otherwise merge the given fields onto the current object (a JSON merge patch,
///   status untouched) and update it;
/// - `.setStatus`: replace `/status` at the current resourceVersion;
/// - `.delete`: delete (absent is fine).
///
/// A write that fails (a conflict with a concurrent client, say) is not retried within the tick:
/// the next tick recomputes the changes from the store as it is then.
public final class SandboxWorldRules: Sendable {
    public let store: any SandboxStore
    private let rules: [any WorldRule]
    private let environment: OperatorEnvironment
    private let catalog: ResourceCatalog
    private let interval: Double
    private let state = LoopState()

    /// - Parameters:
    ///   - rules: the actors to play (`WorldRules.standard` for `--assume-ready`).
    ///   - environment: what the rules read (images, platform); `now` is set to the wall clock each tick.
    ///   - interval: seconds between ticks.
    public init(store: any SandboxStore, rules: [any WorldRule], environment: OperatorEnvironment,
                catalog: ResourceCatalog = .standard, interval: Double = 0.3) {
        self.store = store
        self.rules = rules
        self.environment = environment
        self.catalog = catalog
        self.interval = max(0.01, interval)
    }

    /// Starts the background loop (once; later calls do nothing).
    public func start() {
        guard state.begin() else { return }
        let started = Threads.detach(name: "sandbox-rules") { [self] in
            while !state.waitStopped(seconds: interval) {
                _ = tick()
            }
            state.finished()
        }
        if !started { state.finished() }
    }

    /// Stops the loop and waits (briefly) for a tick in progress to end.
    public func stop() {
        state.stop(waitSeconds: 5)
    }

    /// One pass of every rule. Returns how many writes were carried out (failed ones not counted).
    @discardableResult
    public func tick() -> Int {
        var snapshot = Snapshot(catalog.resources.flatMap { store.list($0.groupKind, namespace: nil).objects })
        var env = environment
        env.now = WallTime.now().timestamp
        var written = 0
        for rule in rules {
            for change in rule.changes(in: snapshot, env: env) {
                switch Result(catching: { () throws(StoreError) -> KubeObject? in try apply(change) }) {
                case .success(let result?):
                    snapshot.upsert(result)
                    written += 1
                case .success(nil):
                    if case .delete(let key) = change, snapshot.remove(key) != nil { written += 1 }
                case .failure:
                    continue  // retried next tick, from what the store shows then
                }
            }
        }
        return written
    }

    /// Carries out one change. Returns the object as stored afterwards (nil when it is gone).
    private func apply(_ change: WorldChange) throws(StoreError) -> KubeObject? {
        switch change {
        case .upsert(let object):
            return try upsert(object)
        case .setStatus(let key, let status):
            var o = try store.get(key)
            o.status = status.isEmptyish ? .null : status
            return try store.update(o, subresource: .status)
        case .delete(let key):
            do {
                let last = try store.delete(key, preconditionResourceVersion: nil)
                // With finalizers the object stays, marked for deletion.
                return last.isBeingDeleted && !last.finalizers.isEmpty ? last : nil
            } catch .notFound {
                return nil
            }
        }
    }

    private static let serverManagedMetadata = ["uid", "resourceVersion", "generation", "creationTimestamp",
                                                "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"]

    private func upsert(_ object: KubeObject) throws(StoreError) -> KubeObject {
        var sent = object.root
        let sentStatus = sent["status"]
        sent["status"] = Value?.none
        var meta = sent["metadata"]?.objectValue ?? OrderedMap()
        for f in Self.serverManagedMetadata { meta[f] = nil }
        sent["metadata"] = .object(meta)
        let patch = Value.object(sent)

        let existing: KubeObject
        do {
            existing = try store.get(object.key)
        } catch .notFound {
            guard var fresh = KubeObject(patch) else { throw .invalid("a world rule produced an object without identity") }
            if let sentStatus { fresh.root["status"] = sentStatus }
            var created = try store.create(fresh)
            if let sentStatus, created.root["status"] != sentStatus {
                created.root["status"] = sentStatus
                created = try store.update(created, subresource: .status)
            }
            return created
        }
        guard var merged = KubeObject(JSONMergePatch.apply(patch, to: existing.value)) else {
            throw .invalid("merging a world rule's write produced no object")
        }
        merged.resourceVersion = existing.resourceVersion
        if merged.root == existing.root { return existing }
        return try store.update(merged, subresource: .main)
    }
}

/// The loop's lifecycle: started once, stop requested, loop finished; `waitStopped` sleeps
/// between ticks and wakes at once on stop.
private final class LoopState: @unchecked Sendable {
    private let condition = ConditionVariable()
    private var started = false
    private var stopRequested = false
    private var running = false

    func begin() -> Bool {
        condition.withLock {
            if started { return false }
            started = true
            running = true
            return true
        }
    }

    /// Waits up to `seconds`; true when stop was requested.
    func waitStopped(seconds: Double) -> Bool {
        condition.withLock {
            let deadline = Deadline(secondsFromNow: seconds)
            while !stopRequested {
                if !condition.wait(until: deadline) { break }
            }
            return stopRequested
        }
    }

    func finished() {
        condition.withLock {
            running = false
            condition.broadcast()
        }
    }

    func stop(waitSeconds: Double) {
        condition.withLock {
            stopRequested = true
            condition.broadcast()
            let deadline = Deadline(secondsFromNow: waitSeconds)
            while running {
                if !condition.wait(until: deadline) { break }
            }
        }
    }
}
