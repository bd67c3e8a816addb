import ReconcileCore

/// A change the cache saw: the object before (nil: created) and after (nil: deleted), exactly
/// what `WatchMapping.requests(changed:previous:)` takes.
public struct CacheChange: Sendable, Equatable {
    public var previous: KubeObject?
    public var current: KubeObject?
    public init(previous: KubeObject?, current: KubeObject?) {
        self.previous = previous
        self.current = current
    }
}

/// The informer cache: the same `Snapshot` the core reads, kept current from list results and
/// watch events, with the last resourceVersion seen per kind (where a watch resumes).
public struct ObjectCache: Sendable {
    public private(set) var snapshot = Snapshot()
    public private(set) var resourceVersions: [GroupKind: String] = [:]
    /// Kinds whose initial list has arrived (readiness: reconcile only on a synced cache).
    public private(set) var synced: Set<GroupKind> = []

    public init() {}

    /// Replaces everything of `kind` (in `namespace`, nil = all) with a fresh list: objects that
    /// vanished while the watch was down are reported deleted.
    public mutating func replace(_ kind: GroupKind, namespace: String?, with objects: [KubeObject], resourceVersion: String) -> [CacheChange] {
        var changes: [CacheChange] = []
        let fresh = Set(objects.map(\.key))
        for old in snapshot.list(kind, namespace: namespace) where !fresh.contains(old.key) {
            snapshot.remove(old.key)
            changes.append(CacheChange(previous: old, current: nil))
        }
        for o in objects where o.groupKind == kind {
            let previous = snapshot.get(o.key)
            if previous == o { continue }
            snapshot.upsert(o)
            changes.append(CacheChange(previous: previous, current: o))
        }
        resourceVersions[kind] = resourceVersion
        synced.insert(kind)
        return changes
    }

    /// Applies one watch event of `kind`; nil when nothing changed (a bookmark, a repeat).
    public mutating func apply(_ event: WatchEvent, kind: GroupKind) -> CacheChange? {
        switch event {
        case .added(let o), .modified(let o):
            guard o.groupKind == kind else { return nil }
            remember(kind, o.resourceVersion)
            let previous = snapshot.get(o.key)
            if previous == o { return nil }
            snapshot.upsert(o)
            return CacheChange(previous: previous, current: o)
        case .deleted(let o):
            guard o.groupKind == kind else { return nil }
            remember(kind, o.resourceVersion)
            guard let previous = snapshot.remove(o.key) else { return nil }
            return CacheChange(previous: previous, current: nil)
        case .bookmark(let rv):
            remember(kind, rv)
            return nil
        case .error, .invalid:
            return nil
        }
    }

    /// Records the write's result right away, so the next reconcile does not act on a stale
    /// object (the watch event that follows is then a no-op).
    public mutating func observeWrite(_ object: KubeObject) -> CacheChange? {
        let previous = snapshot.get(object.key)
        if previous == object { return nil }
        if let p = previous, let a = Int(p.resourceVersion), let b = Int(object.resourceVersion), b < a { return nil }
        snapshot.upsert(object)
        return CacheChange(previous: previous, current: object)
    }

    private mutating func remember(_ kind: GroupKind, _ rv: String) {
        if !rv.isEmpty { resourceVersions[kind] = rv }
    }
}
