import ReconcileCore

/// A minimal API-server store for the sandbox: used until the offline engine's `ClusterModel`
/// is available behind `SandboxStore`. It keeps exactly the semantics kubectl and the adapter
/// rely on: uid/resourceVersion/generation/creationTimestamp, status subresource, optimistic
/// concurrency, finalizers with deletionTimestamp, background garbage collection by owner uid, and
/// a bounded event history for watches.
public final class InMemoryStore: SandboxStore, @unchecked Sendable {
    private let catalog: ResourceCatalog
    /// Guards every field below; also signals watchers waiting for new events.
    private let condition = ConditionVariable()
    private var objects: [ObjectKey: KubeObject] = [:]
    private var resourceVersion = 1
    private var history: [StoreEvent] = []
    private let historyLimit: Int
    private var uidCounter = 0
    private let uidPrefix: String
    private let clock: @Sendable () -> Timestamp

    public init(catalog: ResourceCatalog = .standard, historyLimit: Int = 10_000,
                clock: @escaping @Sendable () -> Timestamp = { WallTime.now().timestamp }) {
        self.catalog = catalog
        self.historyLimit = historyLimit
        self.clock = clock
        self.uidPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Loads objects as given (status included), filling server-managed metadata where missing.
    public func seed(_ seedObjects: [KubeObject]) {
        condition.withLock {
            for var o in seedObjects {
                if o.namespace.isEmpty, !Kinds.isClusterScoped(o.groupKind) { o.setMeta("namespace", "default") }
                fillServerFields(&o, generation: o.generation == 0 ? 1 : o.generation)
                record(.added, o)
            }
        }
    }

    public var currentResourceVersion: Int { condition.withLock { resourceVersion } }

    public func get(_ key: ObjectKey) throws(StoreError) -> KubeObject {
        let found = condition.withLock { objects[key] }
        guard let found else { throw .notFound(key) }
        return found
    }

    public func list(_ kind: GroupKind, namespace: String?) -> (objects: [KubeObject], resourceVersion: Int) {
        condition.withLock {
            let items = objects.filter { $0.key.groupKind == kind && (namespace == nil || $0.key.namespace == namespace) }
                .sorted { $0.key < $1.key }.map(\.value)
            return (items, resourceVersion)
        }
    }

    public func create(_ object: KubeObject) throws(StoreError) -> KubeObject {
        var o = object
        let result: Result<KubeObject, StoreError> = condition.withLock {
            if o.name.isEmpty, let prefix = o.metadata["generateName"]?.stringValue, !prefix.isEmpty {
                uidCounter += 1
                o.setMeta("name", .string(prefix + String(uidCounter, radix: 36) + String(Int.random(in: 1000...9999))))
            }
            guard !o.name.isEmpty else { return .failure(.invalid("metadata.name: Required value: name or generateName is required")) }
            if objects[o.key] != nil { return .failure(.alreadyExists(o.key)) }
            if hasStatusSubresource(o) { o.root["status"] = Value?.none }
            o.setMeta("deletionTimestamp", nil)
            o.setMeta("uid", nil)
            o.setMeta("creationTimestamp", nil)
            fillServerFields(&o, generation: 1)
            record(.added, o)
            return .success(o)
        }
        return try result.get()
    }

    public func update(_ object: KubeObject, subresource: Subresource) throws(StoreError) -> KubeObject {
        let result: Result<KubeObject, StoreError> = condition.withLock {
            let key = object.key
            guard let existing = objects[key] else { return .failure(.notFound(key)) }
            let rv = object.resourceVersion
            if !rv.isEmpty && rv != existing.resourceVersion {
                return .failure(.conflict(key, "the object has been modified; please apply your changes to the latest version and try again"))
            }
            var next: KubeObject
            switch subresource {
            case .status:
                next = existing
                next.root["status"] = object.root["status"]
            case .main:
                next = object
                if hasStatusSubresource(existing) { next.root["status"] = existing.root["status"] }
                for field in ["uid", "creationTimestamp", "deletionTimestamp", "generation"] {
                    next.setMeta(field, existing.metadata[field])
                }
                if Self.specPart(next) != Self.specPart(existing) { next.generation = existing.generation + 1 }
            }
            var unchanged = next
            unchanged.resourceVersion = existing.resourceVersion
            if unchanged == existing { return .success(existing) }
            if next.isBeingDeleted && next.finalizers.isEmpty {
                remove(key)
                return .success(next)
            }
            resourceVersion += 1
            next.resourceVersion = String(resourceVersion)
            record(.modified, next, bump: false)
            return .success(next)
        }
        return try result.get()
    }

    public func delete(_ key: ObjectKey, preconditionResourceVersion: String?) throws(StoreError) -> KubeObject {
        let result: Result<KubeObject, StoreError> = condition.withLock {
            guard var existing = objects[key] else { return .failure(.notFound(key)) }
            if let rv = preconditionResourceVersion, !rv.isEmpty, rv != existing.resourceVersion {
                return .failure(.conflict(key, "the resourceVersion in the precondition does not match"))
            }
            if !existing.finalizers.isEmpty {
                if existing.deletionTimestamp == nil {
                    existing.deletionTimestamp = clock().rfc3339
                    record(.modified, existing)
                }
                return .success(objects[key] ?? existing)
            }
            return .success(remove(key) ?? existing)
        }
        return try result.get()
    }

    public func events(after since: Int, waitSeconds: Double) throws(StoreError) -> [StoreEvent] {
        let deadline = Deadline(secondsFromNow: waitSeconds)
        let result: Result<[StoreEvent], StoreError> = condition.withLock {
            while true {
                if let first = history.first, since < first.resourceVersion - 1 {
                    return .failure(.gone("too old resource version: \(since) (\(first.resourceVersion - 1))"))
                }
                var start = history.count
                while start > 0 && history[start - 1].resourceVersion > since { start -= 1 }
                let fresh = Array(history[start...])
                if !fresh.isEmpty { return .success(fresh) }
                if !condition.wait(until: deadline) { return .success([]) }
            }
        }
        return try result.get()
    }

    // MARK: internals (called with the lock held)

    private func hasStatusSubresource(_ o: KubeObject) -> Bool { catalog.resource(for: o.groupKind)?.hasStatus ?? false }

    private func fillServerFields(_ o: inout KubeObject, generation: Int64) {
        if o.uid.isEmpty {
            uidCounter += 1
            let n = String(uidCounter, radix: 16)
            o.uid = "\(uidPrefix)-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - n.count)) + n
        }
        if o.creationTimestamp == nil { o.creationTimestamp = clock().rfc3339 }
        o.generation = generation
    }

    /// Appends to the history (after giving the object the next resourceVersion) and wakes watchers.
    private func record(_ type: StoreEvent.EventType, _ object: KubeObject, bump: Bool = true) {
        var o = object
        if bump {
            resourceVersion += 1
            o.resourceVersion = String(resourceVersion)
        }
        if type == .deleted { objects[o.key] = nil } else { objects[o.key] = o }
        history.append(StoreEvent(type: type, object: o, resourceVersion: resourceVersion))
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        condition.broadcast()
    }

    /// Removes an object and, in the background way, everything it owns (recursively).
    @discardableResult
    private func remove(_ key: ObjectKey) -> KubeObject? {
        guard let o = objects[key] else { return nil }
        record(.deleted, o)
        let dependents = objects.values.filter { d in d.ownerReferences.contains { $0.uid == o.uid } }.map(\.key).sorted()
        for d in dependents {
            guard var dep = objects[d] else { continue }
            if dep.finalizers.isEmpty {
                remove(d)
            } else if dep.deletionTimestamp == nil {
                dep.deletionTimestamp = clock().rfc3339
                record(.modified, dep)
            }
        }
        return o
    }

    /// Everything but metadata and status: what a generation counts.
    static func specPart(_ o: KubeObject) -> OrderedMap {
        var m = o.root
        m["metadata"] = nil
        m["status"] = nil
        m["apiVersion"] = nil
        return m
    }
}
