/// A deterministic in-memory API server: the offline engine's cluster. It carries out Plans and
/// world-rule writes with the real server's rules, so `converge` sees what a cluster would show:
///
/// - create fills `uid`, `resourceVersion`, `generation` (kinds with a spec, and custom
///   resources) and `creationTimestamp` from the simulated clock;
/// - every write bumps `resourceVersion` from one global counter (like etcd's revision); a write
///   that changes nothing is not a write;
/// - `generation` bumps only when `spec` changes;
/// - status is a subresource: an apply never changes it, a status patch changes nothing else;
/// - apply is server-side apply with field managers (`FieldOwnership`);
/// - a write carrying a stale `resourceVersion` fails with a conflict;
/// - delete of an object with finalizers only sets `deletionTimestamp`; removing the last
///   finalizer deletes it; deleting an owner deletes its dependents (background garbage
///   collection through ownerReference uids, transitively).
///
/// A pure value: no clock, no I/O. `now` is set by whoever drives it.
public struct ClusterModel: Sendable {
    /// The field manager name of the operator's own applies.
    public static let operatorManager = "toolhive-operator"
    /// The writer name of deletions made by garbage collection.
    public static let garbageCollector = "garbage-collector"

    /// The cluster as reconcilers read it.
    public private(set) var snapshot: Snapshot
    /// The simulated clock, used for creationTimestamp and deletionTimestamp.
    public var now: Timestamp
    /// Events the reconcilers recorded, in order.
    public private(set) var events: [RecordedEvent] = []
    /// Writes since the last `drainChanges()`, in order.
    public private(set) var changes: [ClusterChange] = []

    private var revision: Int64 = 0
    private var ownership: [ObjectKey: FieldOwnership] = [:]
    private var keyByUID: [String: ObjectKey] = [:]

    /// Loads observed objects (the last of two with one key wins).
    public init<S: Sequence>(objects: S, now: Timestamp = .simulationEpoch) where S.Element == KubeObject {
        self.init(snapshot: Snapshot(objects), now: now)
    }

    /// Loads a snapshot's objects, keeping their origins. Server-managed metadata the input leaves
    /// out is filled in key order (never input order), so a shuffled input gives the same
    /// cluster. Objects are decoded one at a time and stored packed, like every later write.
    public init(snapshot input: Snapshot, now: Timestamp = .simulationEpoch) {
        self.now = now
        snapshot = Snapshot()
        // Objects with a resourceVersion are stored in the first pass, which also finds the highest
        // one; those without get theirs after it, in key order. The CLI's loader fills in every
        // resourceVersion, so a loaded input is decoded once.
        var unversioned: [ObjectKey] = []
        for key in input.keys.sorted() {
            guard let o = input.get(key) else { continue }
            if let rv = Int64(o.resourceVersion) { revision = max(revision, rv) }
            if o.resourceVersion.isEmpty {
                unversioned.append(key)
            } else {
                load(o, key: key, origin: input.origin(of: key))
            }
        }
        for key in unversioned {
            guard var o = input.get(key) else { continue }
            revision += 1
            o.resourceVersion = String(revision)
            load(o, key: key, origin: input.origin(of: key))
        }
    }

    /// Stores one loaded object with the server-managed metadata it lacks (its resourceVersion
    /// already set).
    private mutating func load(_ object: KubeObject, key: ObjectKey, origin: FileLocation?) {
        var o = object
        if o.uid.isEmpty { o.uid = Self.uid(for: key, revision: 0) }
        if o.metadata["generation"] == nil, Self.hasGeneration(o) { o.generation = 1 }
        if o.creationTimestamp == nil { o.creationTimestamp = now.rfc3339 }
        Self.applyDefaults(&o)
        keyByUID[o.uid] = key
        snapshot.upsert(o, packed: Self.packs(key), origin: origin)
    }

    public func get(_ key: ObjectKey) -> KubeObject? { snapshot.get(key) }

    /// The object with this uid, if it exists (what an ownerReference's uid points at).
    public func key(ofUID uid: String) -> ObjectKey? { uid.isEmpty ? nil : keyByUID[uid] }

    /// Returns the writes made since the last call and forgets them.
    public mutating func drainChanges() -> [ClusterChange] {
        defer { changes.removeAll(keepingCapacity: true) }
        return changes
    }

    /// Which managers hold fields of an object (for tests and `--explain`).
    public func fieldManagers(of key: ObjectKey) -> [String] { ownership[key]?.managers ?? [] }

    // MARK: writes

    /// Server-side apply by `manager`. Returns whether the object changed.
    @discardableResult
    public mutating func apply(_ desired: KubeObject, manager: String = ClusterModel.operatorManager, reasons: [String] = [], keepStatusOnCreate: Bool = false) throws(ClusterModelError) -> Bool {
        let key = desired.key
        try Self.checkIdentity(desired)
        let existingStored = snapshot.stored(key)
        let existing = existingStored?.object
        if let existing { try checkPrecondition(desired, against: existing) }
        var sent = try Self.decoded(desired)
        let sentStatus = sent["status"]
        sent["status"] = nil
        var meta = sent["metadata"]?.objectValue ?? OrderedMap()
        for f in Self.serverManagedMetadata { meta[f] = nil }
        sent["metadata"] = .object(meta)

        var owners = ownership[key] ?? FieldOwnership()
        guard let existing, let existingStored else {
            var created = KubeObject(root: owners.apply(sent, by: manager, onto: .object(OrderedMap())).objectValue ?? sent)
            if keepStatusOnCreate, let sentStatus { created.root["status"] = sentStatus }
            Self.applyDefaults(&created)
            let stored = create(&created)
            ownership[key] = owners
            record(key, old: nil, new: (created, stored), writer: manager, op: "apply", reasons: reasons)
            return true
        }
        let merged = owners.apply(sent, by: manager, onto: existing.value)
        ownership[key] = owners
        guard var updated = KubeObject(merged), updated.root != existing.root else { return false }
        if existing.metadata["generation"] != nil, updated.root["spec"] != existing.root["spec"] {
            updated.generation = existing.generation + 1
        }
        let stored = store(&updated, replacing: existing)
        record(key, old: (existing, existingStored), new: (updated, stored), writer: manager, op: "apply", reasons: reasons)
        return true
    }

    /// Replaces the status subresource. Returns whether it changed.
    @discardableResult
    public mutating func patchStatus(_ key: ObjectKey, status: Value, writer: String, reasons: [String] = []) throws(ClusterModelError) -> Bool {
        try edit(key, op: "patchStatus", writer: writer, reasons: reasons) { o throws(ClusterModelError) in
            o.status = status.isEmptyish ? .null : status
        }
    }

    @discardableResult
    public mutating func addFinalizer(_ key: ObjectKey, _ finalizer: String, writer: String, reasons: [String] = []) throws(ClusterModelError) -> Bool {
        try edit(key, op: "addFinalizer", writer: writer, reasons: reasons) { o throws(ClusterModelError) in
            if o.finalizers.contains(finalizer) { return }
            if o.isBeingDeleted { throw .forbidden(key, "no new finalizers can be added if the object is being deleted") }
            o.finalizers.append(finalizer)
        }
    }

    /// Lets `change` edit a copy of an existing object and stores it as one write, unless it
    /// changed nothing.
    private mutating func edit(
        _ key: ObjectKey, op: String, writer: String, reasons: [String], _ change: (inout KubeObject) throws(ClusterModelError) -> Void
    ) throws(ClusterModelError) -> Bool {
        guard let existingStored = snapshot.stored(key) else { throw .notFound(key, operation: op) }
        let existing = existingStored.object
        var updated = existing
        try change(&updated)
        if updated.root == existing.root { return false }
        let stored = store(&updated, replacing: existing)
        record(key, old: (existing, existingStored), new: (updated, stored), writer: writer, op: op, reasons: reasons)
        return true
    }

    /// Removes a finalizer; the last one removed from a deleting object deletes it.
    @discardableResult
    public mutating func removeFinalizer(_ key: ObjectKey, _ finalizer: String, writer: String, reasons: [String] = []) throws(ClusterModelError) -> Bool {
        guard let existingStored = snapshot.stored(key) else { throw .notFound(key, operation: "removeFinalizer") }
        let existing = existingStored.object
        guard existing.finalizers.contains(finalizer) else { return false }
        var updated = existing
        updated.finalizers.removeAll { $0 == finalizer }
        if updated.isBeingDeleted && updated.finalizers.isEmpty {
            remove((existing, existingStored), writer: writer, op: "removeFinalizer", reasons: reasons)
            return true
        }
        let stored = store(&updated, replacing: existing)
        record(key, old: (existing, existingStored), new: (updated, stored), writer: writer, op: "removeFinalizer", reasons: reasons)
        return true
    }

    /// Deletes an object: with finalizers it only gets a deletionTimestamp; without, it goes, and
    /// so do its dependents. Deleting an absent object is not an error (the operator ignores
    /// NotFound on delete); returns whether anything changed.
    @discardableResult
    public mutating func delete(_ key: ObjectKey, writer: String, reasons: [String] = []) -> Bool {
        guard let existingStored = snapshot.stored(key) else { return false }
        let existing = existingStored.object
        if !existing.finalizers.isEmpty {
            guard !existing.isBeingDeleted else { return false }
            var updated = existing
            updated.deletionTimestamp = now.rfc3339
            let stored = store(&updated, replacing: existing)
            record(key, old: (existing, existingStored), new: (updated, stored), writer: writer, op: "delete", reasons: reasons)
            return true
        }
        remove((existing, existingStored), writer: writer, op: "delete", reasons: reasons)
        return true
    }

    /// Carries out one plan action.
    @discardableResult
    public mutating func perform(_ action: Action, writer: String) throws(ClusterModelError) -> Bool {
        switch action.operation {
        case .apply(let object):
            return try apply(object, manager: Self.operatorManager, reasons: action.reasons)
        case .delete(let ref):
            return delete(ref.key, writer: writer, reasons: action.reasons)
        case .patchStatus(let ref, let status):
            return try patchStatus(ref.key, status: status, writer: writer, reasons: action.reasons)
        case .addFinalizer(let ref, let f):
            return try addFinalizer(ref.key, f, writer: writer, reasons: action.reasons)
        case .removeFinalizer(let ref, let f):
            return try removeFinalizer(ref.key, f, writer: writer, reasons: action.reasons)
        }
    }

    /// Carries out one world-rule write, with the rule as field manager.
    @discardableResult
    public mutating func perform(_ change: WorldChange, rule: String) throws(ClusterModelError) -> Bool {
        switch change {
        case .upsert(let object):
            return try apply(object, manager: rule, reasons: [], keepStatusOnCreate: true)
        case .setStatus(let key, let status):
            return try patchStatus(key, status: status, writer: rule)
        case .delete(let key):
            return delete(key, writer: rule)
        }
    }

    /// Records the events of a reconcile against its primary.
    public mutating func recordEvents(_ result: ReconcileResult) {
        for e in result.events {
            events.append(RecordedEvent(time: now, controller: result.controller, object: result.object, event: e))
        }
    }

    // MARK: output

    /// The contract's List: every object, sorted by apiVersion, kind, namespace, name.
    public var list: Value {
        var objects: [KubeObject] = []
        objects.reserveCapacity(snapshot.count)
        snapshot.forEachObject { objects.append($1) }
        return ObjectList.value(objects)
    }

    // MARK: internals

    /// Fields only the server writes; an apply cannot set them.
    static let serverManagedMetadata = ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"]

    /// Kubernetes keeps `generation` for objects with a spec and for every custom resource;
    /// ConfigMaps, Secrets, ServiceAccounts and RBAC objects have none.
    static func hasGeneration(_ o: KubeObject) -> Bool {
        o.root["spec"] != nil || o.groupKind.group == Kinds.toolhiveGroup
    }

    /// `uid` as a UUID-shaped string derived from the key and the revision that created it, so a
    /// re-created object gets a new uid, and the same run always gives the same uids. Two FNV-1a
    /// 64 passes rather than SHA-256: this runs for every object created, and uids need to be
    /// distinct, not secret.
    static func uid(for key: ObjectKey, revision: Int64) -> String {
        var a = Hasher64()
        var b = Hasher64()
        b.add(byte: 0x5A)  // a second, independent 64 bits
        for part in [key.group, key.kind, key.namespace, key.name] {
            a.add(part)
            b.add(part)
        }
        a.add(UInt64(bitPattern: revision))
        b.add(UInt64(bitPattern: revision))
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, word) in [a.value, b.value].enumerated() {
            for nibble in 0..<16 {
                let n = i * 16 + nibble
                if n == 8 || n == 12 || n == 16 || n == 20 { out.append(UInt8(ascii: "-")) }
                out.append(digits[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The object as the API server decodes it: the resource quantities of a Deployment's,
    /// StatefulSet's or Pod's pod spec in stored form (`0.5` → `500m`), and one that does not parse
    /// refuses the write, as the typed decode does.
    static func decoded(_ o: KubeObject) throws(ClusterModelError) -> OrderedMap {
        let path: [String]
        switch o.groupKind {
        case Kinds.deployment, Kinds.statefulSet: path = ["spec", "template", "spec"]
        case Kinds.pod: path = ["spec"]
        default: return o.root
        }
        let prefix = path.joined(separator: ".")
        guard let podSpec = o.value[path: prefix] else { return o.root }
        let (canonical, problem) = PodQuantities.decode(podSpec, prefix: prefix)
        if let problem {
            throw .invalid(o.reference, "\(o.kind) in version \"\(APIVersion.version(of: o.apiVersion))\" cannot be handled as a \(o.kind): \(problem.error) (\(problem.path))")
        }
        guard canonical != podSpec else { return o.root }
        var v = o.value
        v.set(path: path, to: canonical)
        return v.objectValue ?? o.root
    }

    /// The defaults the API server fills that the operator's logic depends on.
    static func applyDefaults(_ o: inout KubeObject) {
        switch o.groupKind {
        case Kinds.deployment, Kinds.statefulSet:
            if o.spec["replicas"] == nil, case .object = o.spec { o.root["spec"] = setting(o.spec, "replicas", 1) }
        case Kinds.service:
            if o.spec["type"] == nil, case .object = o.spec { o.root["spec"] = setting(o.spec, "type", "ClusterIP") }
        default:
            break
        }
    }

    private static func setting(_ v: Value, _ key: String, _ new: Value) -> Value {
        var m = v.objectValue ?? OrderedMap()
        m[key] = new
        return .object(m)
    }

    private static func checkIdentity(_ o: KubeObject) throws(ClusterModelError) {
        if o.apiVersion.isEmpty || o.kind.isEmpty || o.name.isEmpty {
            throw .invalid(o.reference, "an object needs apiVersion, kind and metadata.name")
        }
        if o.namespace.isEmpty && !Kinds.isClusterScoped(o.groupKind) {
            throw .invalid(o.reference, "a namespaced object needs metadata.namespace")
        }
    }

    private func checkPrecondition(_ desired: KubeObject, against existing: KubeObject) throws(ClusterModelError) {
        let sent = desired.resourceVersion
        if !sent.isEmpty && sent != existing.resourceVersion {
            throw .conflict(existing.key, sent: sent, current: existing.resourceVersion)
        }
    }

    /// Objects are stored packed: the converged cluster of 10,000 servers is ~200,000 objects,
    /// whose trees took ~850 MiB; reads decode.
    private mutating func create(_ o: inout KubeObject) -> StoredObject {
        revision += 1
        o.uid = Self.uid(for: o.key, revision: revision)
        o.resourceVersion = String(revision)
        o.creationTimestamp = now.rfc3339
        if Self.hasGeneration(o) { o.generation = 1 }
        let key = o.key
        keyByUID[o.uid] = key
        return snapshot.upsert(o, packed: Self.packs(key))
    }

    /// ToolHive's own objects stay trees: they are the primaries, about a twentieth of a
    /// converged cluster, and every controller reads them again and again (a group or tool
    /// config once per member's reconcile, a server once per vMCP pass).
    static func packs(_ key: ObjectKey) -> Bool { key.groupKind.group != Kinds.toolhiveGroup }

    private mutating func store(_ o: inout KubeObject, replacing existing: KubeObject) -> StoredObject {
        revision += 1
        o.resourceVersion = String(revision)
        return snapshot.upsert(o, packed: Self.packs(existing.key), replacing: existing)
    }

    /// Removes an object and collects its dependents whose owners are all gone.
    private mutating func remove(_ version: (tree: KubeObject, stored: StoredObject), writer: String, op: String, reasons: [String]) {
        let object = version.tree
        revision += 1
        snapshot.remove(object.key)
        ownership[object.key] = nil
        keyByUID[object.uid] = nil
        record(object.key, old: version, new: nil, writer: writer, op: op, reasons: reasons)
        for dependent in snapshot.owned(by: object.uid) {
            let liveOwners = dependent.ownerReferences.filter { !$0.uid.isEmpty && keyByUID[$0.uid] != nil }
            if liveOwners.isEmpty {
                delete(dependent.key, writer: Self.garbageCollector, reasons: ["owner \(object.kind) \(object.name) was deleted"])
            }
        }
    }

    private mutating func record(
        _ key: ObjectKey, old: (tree: KubeObject, stored: StoredObject)?, new: (tree: KubeObject, stored: StoredObject)?,
        writer: String, op: String, reasons: [String]
    ) {
        changes.append(ClusterChange(key: key, old: old?.tree, new: new?.tree, writer: writer, op: op, reasons: reasons, storedOld: old?.stored, storedNew: new?.stored))
    }
}

/// One write the ClusterModel made: what changed, who wrote it and why.
public struct ClusterChange: Sendable {
    public var key: ObjectKey
    /// nil for a create.
    public var old: KubeObject?
    /// nil for a removal.
    public var new: KubeObject?
    /// The field manager, controller or world rule that wrote it.
    public var writer: String
    public var op: String
    public var reasons: [String]
    /// `old` and `new` as the snapshot stores them (packed), so that a change kept past its
    /// round (`RecentWrites`) costs its bytes rather than its trees.
    var storedOld: StoredObject?
    var storedNew: StoredObject?

    /// Which fields differ, for `--explain` and non-convergence reports.
    public var changedFields: [String] { Self.changedFields(old: old, new: new) }

    static func changedFields(old: KubeObject?, new: KubeObject?) -> [String] {
        switch (old, new) {
        case (nil, _): return []
        case (_, nil): return ["(deleted)"]
        case (let o?, let n?):
            var before = o.value
            var after = n.value
            for f in ["resourceVersion", "generation"] {
                before.remove(path: ["metadata", f])
                after.remove(path: ["metadata", f])
            }
            var out = Diff.differences(desired: after, observed: before)
            // Diff has subset semantics; fields that went away are differences too.
            for path in FieldPaths.leaves(of: before) where FieldPaths.value(at: path, in: after) == nil {
                out.append("\(path.joined(separator: ".")): removed")
            }
            return out
        }
    }
}

/// An event recorded on a primary during converge.
public struct RecordedEvent: Sendable, Equatable {
    public var time: Timestamp
    public var controller: String
    public var object: ObjectReference
    public var event: Event
}

/// Why the ClusterModel refused a write, as the API server would.
public enum ClusterModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The write carried a resourceVersion that is no longer current (HTTP 409).
    case conflict(ObjectKey, sent: String, current: String)
    case notFound(ObjectKey, operation: String)
    case forbidden(ObjectKey, String)
    case invalid(ObjectReference, String)

    public var description: String {
        switch self {
        case .conflict(let k, let sent, let current):
            return "conflict writing \(k): the object has been modified (resourceVersion \(sent) is stale, current is \(current))"
        case .notFound(let k, let op): return "\(op) \(k): not found"
        case .forbidden(let k, let why): return "\(k): forbidden: \(why)"
        case .invalid(let r, let why): return "\(r.kind)/\(r.namespace)/\(r.name): invalid: \(why)"
        }
    }
}
