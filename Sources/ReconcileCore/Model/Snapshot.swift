/// Where an object was read from, for messages that point at a file.
public struct FileLocation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var position: SourcePosition
    public init(path: String, position: SourcePosition) {
        self.path = path
        self.position = position
    }
    public var description: String { "\(path):\(position.line):\(position.column)" }
}

/// All observed objects, indexed for the lookups the controllers make: by key, by kind and
/// namespace, by label, by controlling owner, and by the reference fields the real operator
/// registers field indexes for (`spec.groupRef`, `spec.toolConfigRef`, ...).
///
/// Built in one pass; the live adapter keeps it current with `upsert`/`remove`, so the core reads
/// the same type offline and live.
///
/// An object is stored as its tree or packed (`PackedObject`, about a tenth of a tree's memory,
/// decoded on every read). The CLI packs what it loads from files, so a large input never has every tree in
/// memory at once, and the offline engine's `ClusterModel` packs every object it stores (its
/// converged cluster is ~30 times the input); the live adapter's objects stay trees, because
/// they are rewritten and read again constantly. The indexes are built from the tree at
/// insertion, so answering an index query never decodes anything; reads return trees either way.
public struct Snapshot: Sendable {
    /// kind → namespace → name → the object with where it was read from. Nested by kind and
    /// namespace, not keyed by `ObjectKey`: a flat map stored a 64-byte key per object and a
    /// separate kind index repeated every name, 5 MB of the CLI's 13 MB heap at 10,000 servers;
    /// this way a name is stored once and the kind index is the map itself.
    private var objects: [GroupKind: [String: [String: Entry]]] = [:]
    private var total = 0
    /// Where packed objects are written (see `PackedArena`).
    private var arena = PackedArena()
    /// Every path an origin names, once: entries refer to it by position.
    private var originPaths: [String] = []
    private var originPathPositions: [String: UInt32] = [:]
    /// kind + namespace + label key → label value → names. Keyed by scope, then value: one
    /// map keyed by all four strings (80 bytes a key) was 0.36 MB for the 3,000 field index
    /// values of 10,000 servers.
    private var byLabel: [LabelScope: [String: NameSet]] = [:]
    /// owner uid → keys of the objects it owns
    private var byOwner: [String: Set<ObjectKey>] = [:]
    /// field index + kind + namespace → value → names
    private var byField: [FieldScope: [String: NameSet]] = [:]
    /// Where each object came from, when it was read from a file (an object replaced by `upsert`
    /// loses it: the new version was not read from there).
    public var origins: [ObjectKey: FileLocation] {
        var out: [ObjectKey: FileLocation] = [:]
        forEachEntry { key, entry in if let origin = entry.origin { out[key] = location(origin) } }
        return out
    }
    public func origin(of key: ObjectKey) -> FileLocation? { entry(key)?.origin.map(location) }
    /// Records where a stored object was read from (nothing for a key not stored).
    public mutating func setOrigin(_ origin: FileLocation?, of key: ObjectKey) {
        guard entry(key) != nil else { return }
        let compact = origin.flatMap { self.origin($0) }
        objects[key.groupKind]?[key.namespace]?[key.name]?.origin = compact
    }

    private func location(_ origin: Origin) -> FileLocation {
        FileLocation(path: originPaths[Int(origin.path)], position: SourcePosition(line: Int(origin.line), column: Int(origin.column)))
    }

    /// `location` as an entry stores it, its path added to `originPaths` when new. Nil only
    /// when four billion paths are already there.
    private mutating func origin(_ location: FileLocation) -> Origin? {
        let path: UInt32
        if let known = originPathPositions[location.path] {
            path = known
        } else {
            guard let next = UInt32(exactly: originPaths.count) else { return nil }
            originPaths.append(location.path)
            originPathPositions[location.path] = next
            path = next
        }
        return Origin(path: path, line: UInt32(clamping: location.position.line), column: UInt32(clamping: location.position.column))
    }

    private func entry(_ key: ObjectKey) -> Entry? { objects[key.groupKind]?[key.namespace]?[key.name] }

    private func forEachEntry(_ body: (ObjectKey, Entry) throws -> Void) rethrows {
        for (kind, spaces) in objects {
            for (ns, names) in spaces {
                for (name, entry) in names { try body(ObjectKey(kind, namespace: ns, name: name), entry) }
            }
        }
    }

    private struct LabelScope: Hashable, Sendable {
        var kind: GroupKind
        var namespace: String
        var label: String
    }
    private struct FieldScope: Hashable, Sendable {
        var index: String
        var kind: GroupKind
        var namespace: String
    }

    /// What the name maps hold for each object: 32 bytes, where a `FileLocation?` made it 72
    /// (and the 10,000-server map 1.4 MB instead of 0.8).
    private struct Entry: Sendable {
        var stored: StoredObject
        var origin: Origin?
    }

    /// Where an object was read from: its path's position in `originPaths`, its line and column
    /// (a position past four billion, which no file we read has, would read as the largest).
    private struct Origin: Sendable {
        var path: UInt32
        var line: UInt32
        var column: UInt32
    }

    public init() {}
    public init<S: Sequence>(_ objects: S, packed: Bool = false) where S.Element == KubeObject {
        for o in objects { upsert(o, packed: packed) }
    }

    public var count: Int { total }
    /// Every object's key, in no particular order.
    public var keys: [ObjectKey] {
        var out: [ObjectKey] = []
        out.reserveCapacity(total)
        forEachEntry { key, _ in out.append(key) }
        return out
    }
    /// The kinds with at least one object.
    public var kinds: [GroupKind] { Array(objects.keys) }
    /// Every object, sorted by key (decodes every packed object: for small snapshots and tests).
    public var allObjects: [KubeObject] { keys.sorted().compactMap { get($0) } }

    /// Calls `body` with every object, in no particular order; a packed object's tree lives only
    /// for its call.
    public func forEachObject(_ body: (ObjectKey, KubeObject) throws -> Void) rethrows {
        try forEachEntry { key, entry in try body(key, entry.stored.object) }
    }

    /// Every key, in the order of the contract's List (apiVersion, kind, namespace, name) —
    /// `ObjectList.sortedByReference` without decoding the objects, so a List can be written
    /// one item at a time.
    public var keysByReference: KeyList {
        // One run per apiVersion and kind, the runs sorted, then each run's keys in
        // namespace-then-name order: sorting every reference moved four strings per comparison.
        // A kind's objects nearly always share one apiVersion; only a kind with several is
        // filtered by version per run.
        var runs: [(apiVersion: String, kind: GroupKind, mixed: Bool)] = []
        for (kind, spaces) in objects {
            var versions = Set<String>()
            for entries in spaces.values {
                for entry in entries.values { versions.insert(entry.stored.apiVersion) }
            }
            for v in versions { runs.append((v, kind, versions.count > 1)) }
        }
        runs.sort { ($0.apiVersion, $0.kind.kind) < ($1.apiVersion, $1.kind.kind) }
        // Sized up front and filled in place: growing by doubling, or building each run apart
        // and copying it in, held two copies of most keys at the CLI's peak.
        var out = KeyList()
        out.reserveCapacity(total)
        for run in runs {
            for (ns, entries) in objects[run.kind, default: [:]].sorted(by: { $0.key < $1.key }) {
                if run.mixed {
                    out.appendSorted(run.kind, namespace: ns, names: entries.lazy.filter { $0.value.stored.apiVersion == run.apiVersion }.map(\.key))
                } else {
                    out.appendSorted(run.kind, namespace: ns, names: entries.keys)
                }
            }
        }
        return out
    }

    public func get(_ key: ObjectKey) -> KubeObject? { entry(key)?.stored.object }
    public func get(_ kind: GroupKind, namespace: String, name: String) -> KubeObject? {
        get(ObjectKey(kind, namespace: namespace, name: name))
    }

    /// The object with at least the top-level `fields` (a packed one is decoded for those alone;
    /// a tree comes whole): for reads that need only, say, an object's metadata and status.
    public func get(_ key: ObjectKey, only fields: Set<String>) -> KubeObject? {
        switch entry(key)?.stored {
        case nil: return nil
        case .tree(let o)?: return o
        case .packed(let p)?: return p.object(only: fields)
        }
    }

    /// Whether the object stored at `key` holds every field of `desired`
    /// (`desired.isSubset(of: object.value)`; false when absent), without decoding a packed one.
    public func holds(_ desired: Value, at key: ObjectKey) -> Bool {
        switch entry(key)?.stored {
        case nil: return false
        case .tree(let o)?: return desired.isSubset(of: o.value)
        case .packed(let p)?: return p.holds(desired)
        }
    }

    /// Whether an object is stored: `get(key) != nil` without decoding it.
    public func contains(_ key: ObjectKey) -> Bool { entry(key) != nil }
    public func contains(_ kind: GroupKind, namespace: String, name: String) -> Bool {
        contains(ObjectKey(kind, namespace: namespace, name: name))
    }

    /// Objects of a kind, in one namespace or (nil) all, sorted by namespace then name.
    public func list(_ kind: GroupKind, namespace: String? = nil) -> [KubeObject] {
        guard let spaces = objects[kind] else { return [] }
        var out: [KubeObject] = []
        for ns in namespace.map({ [$0] }) ?? spaces.keys.sorted() {
            guard let names = spaces[ns] else { continue }
            for name in names.keys.sorted() {
                if let o = names[name]?.stored.object { out.append(o) }
            }
        }
        return out
    }

    /// Keys of every object of a kind, sorted.
    public func keys(_ kind: GroupKind) -> [ObjectKey] { Array(keyList(kind)) }

    /// Keys of every object of a kind, sorted (namespace, then name), as a compact `KeyList`.
    public func keyList(_ kind: GroupKind) -> KeyList {
        var out = KeyList()
        guard let spaces = objects[kind] else { return out }
        // Sorts plain names per namespace: comparing whole keys (four strings each) made this
        // the slowest step of loading a large snapshot.
        out.reserveCapacity(spaces.values.reduce(0) { $0 + $1.count })
        for (ns, entries) in spaces.sorted(by: { $0.key < $1.key }) { out.appendSorted(kind, namespace: ns, names: entries.keys) }
        return out
    }

    /// Objects of a kind in a namespace whose labels contain every pair of `selector`, sorted by name.
    public func list(_ kind: GroupKind, namespace: String, matching selector: [String: String]) -> [KubeObject] {
        if selector.isEmpty { return list(kind, namespace: namespace) }
        var slots: [NameSet] = []
        for (k, v) in selector {
            guard let names = byLabel[LabelScope(kind: kind, namespace: namespace, label: k)]?[v] else { return [] }
            slots.append(names)
        }
        // The smallest slot's names, sorted, filtered by the others: sorting a label most
        // objects carry on every query made the offline engine's selector reads quadratic.
        slots.sort { $0.count < $1.count }
        var result = slots[0].sorted
        for other in slots.dropFirst() where !result.isEmpty { result.removeAll { !other.contains($0) } }
        return result.compactMap { get(ObjectKey(kind, namespace: namespace, name: $0)) }
    }

    /// Objects whose ownerReferences include this uid, sorted by key.
    public func owned(by uid: String) -> [KubeObject] {
        guard !uid.isEmpty else { return [] }
        return (byOwner[uid] ?? []).sorted().compactMap { get($0) }
    }

    /// Objects of the index's kinds in a namespace whose indexed field equals `value`, sorted by kind then name.
    public func lookup(_ index: FieldIndex, namespace: String, value: String) -> [KubeObject] {
        var out: [KubeObject] = []
        for kind in index.kinds {
            for name in fieldNames(index, kind, namespace, value) {
                if let o = get(ObjectKey(kind, namespace: namespace, name: name)) { out.append(o) }
            }
        }
        return out
    }

    /// Keys of the objects of one `kind` in a namespace whose indexed field equals `value`, sorted
    /// by name: what a watch mapping needs, without reading every kind's objects to filter them.
    public func lookup(_ index: FieldIndex, kind: GroupKind, namespace: String, value: String) -> [ObjectKey] {
        guard index.kinds.contains(kind) else { return [] }
        return fieldNames(index, kind, namespace, value).map { ObjectKey(kind, namespace: namespace, name: $0) }
    }

    /// Names of the objects of `kind` in `namespace` whose field `index` has `value`, sorted.
    private func fieldNames(_ index: FieldIndex, _ kind: GroupKind, _ namespace: String, _ value: String) -> [String] {
        byField[FieldScope(index: index.name, kind: kind, namespace: namespace)]?[value]?.sorted ?? []
    }

    // MARK: changes

    /// The object as stored (its packed bytes, when packed), for keeping a version of it without
    /// decoding it (the offline engine keeps the last rounds' writes this way).
    func stored(_ key: ObjectKey) -> StoredObject? { entry(key)?.stored }

    /// Inserts or replaces an object, keeping every index in step. `packed` stores it as
    /// compact bytes (see the type's comment): for objects loaded in bulk and mostly only read.
    /// Returns the object as stored.
    @discardableResult
    public mutating func upsert(_ object: KubeObject, packed: Bool = false, origin: FileLocation? = nil) -> StoredObject {
        upsert(object, packed: packed, origin: origin, replacing: nil)
    }

    /// `upsert`, given the version it replaces (exactly the stored one, which the caller has
    /// just read) so that unindexing it need not decode it again.
    @discardableResult
    mutating func upsert(_ object: KubeObject, packed: Bool, origin: FileLocation? = nil, replacing previous: KubeObject?) -> StoredObject {
        let key = object.key
        let stored = packed ? arena.pack(object).map(StoredObject.packed) ?? .tree(object) : .tree(object)
        let compact = origin.flatMap { self.origin($0) }
        // Most writes (status patches, spec updates) leave every indexed field alone: the entry is
        // replaced in place, without taking the key out of each index and putting it back.
        if let previous, Self.sameIndexedFields(previous, object, kind: key.groupKind),
            objects[key.groupKind]?[key.namespace]?[key.name] != nil
        {
            objects[key.groupKind]?[key.namespace]?[key.name] = Entry(stored: stored, origin: compact)
            return stored
        }
        if let previous, removeEntry(key) {
            unindex(previous, key)
        } else if entry(key) != nil {
            remove(key)
        }
        objects[key.groupKind, default: [:]][key.namespace, default: [:]][key.name] = Entry(stored: stored, origin: compact)
        total += 1
        for (k, v) in object.labels {
            Self.insert(key.name, into: &byLabel, LabelScope(kind: key.groupKind, namespace: key.namespace, label: k), v)
        }
        for ref in object.ownerReferences where !ref.uid.isEmpty {
            byOwner[ref.uid, default: []].insert(key)
        }
        for index in FieldIndex.all where index.kinds.contains(key.groupKind) {
            for value in index.extract(object) where !value.isEmpty {
                Self.insert(key.name, into: &byField, FieldScope(index: index.name, kind: key.groupKind, namespace: key.namespace), value)
            }
        }
        return stored
    }

    /// Whether two versions of an object of `kind` give the same index entries: the same labels,
    /// ownerReferences and field-index values. Raw values are compared, so any difference at
    /// all (even one the indexes would read the same way) counts as a change.
    private static func sameIndexedFields(_ a: KubeObject, _ b: KubeObject, kind: GroupKind) -> Bool {
        let am = a.metadata, bm = b.metadata
        guard am["labels"] == bm["labels"], am["ownerReferences"] == bm["ownerReferences"] else { return false }
        for index in FieldIndex.all where index.kinds.contains(kind) && index.extract(a) != index.extract(b) { return false }
        return true
    }

    @discardableResult
    public mutating func remove(_ key: ObjectKey) -> KubeObject? {
        guard let old = entry(key)?.stored.object else { return nil }
        removeEntry(key)
        unindex(old, key)
        return old
    }

    /// Takes the entry at `key` out of `objects`; returns whether there was one.
    @discardableResult
    private mutating func removeEntry(_ key: ObjectKey) -> Bool {
        guard objects[key.groupKind]?[key.namespace]?.removeValue(forKey: key.name) != nil else { return false }
        total -= 1
        if objects[key.groupKind]?[key.namespace]?.isEmpty == true { objects[key.groupKind]?[key.namespace] = nil }
        if objects[key.groupKind]?.isEmpty == true { objects[key.groupKind] = nil }
        return true
    }

    /// Files `name` under the slot `scope`/`value` of a label or field index.
    private static func insert<Scope: Hashable>(_ name: String, into index: inout [Scope: [String: NameSet]], _ scope: Scope, _ value: String) {
        index[scope, default: [:]][value, default: NameSet()].insert(name)
    }

    /// Takes `name` out of the slot `scope`/`value` of a label or field index, dropping the
    /// slot and the scope once they are empty.
    private static func remove<Scope: Hashable>(_ name: String, from index: inout [Scope: [String: NameSet]], _ scope: Scope, _ value: String) {
        index[scope]?[value]?.remove(name)
        if index[scope]?[value]?.isEmpty == true { index[scope]?[value] = nil }
        if index[scope]?.isEmpty == true { index[scope] = nil }
    }

    /// Removes `old`, stored at `key`, from every index.
    private mutating func unindex(_ old: KubeObject, _ key: ObjectKey) {
        for (k, v) in old.labels {
            Self.remove(key.name, from: &byLabel, LabelScope(kind: key.groupKind, namespace: key.namespace, label: k), v)
        }
        for ref in old.ownerReferences where !ref.uid.isEmpty {
            byOwner[ref.uid]?.remove(key)
            if byOwner[ref.uid]?.isEmpty == true { byOwner[ref.uid] = nil }
        }
        for index in FieldIndex.all where index.kinds.contains(key.groupKind) {
            for value in index.extract(old) where !value.isEmpty {
                Self.remove(key.name, from: &byField, FieldScope(index: index.name, kind: key.groupKind, namespace: key.namespace), value)
            }
        }
    }
}

/// A field index, like the ones the Go operator registers with its manager: which kinds it covers
/// and how to read the indexed values from an object. All indexes live in `FieldIndex.all`.
public struct FieldIndex: Sendable {
    public var name: String
    public var kinds: [GroupKind]
    public var extract: @Sendable (KubeObject) -> [String]

    public init(name: String, kinds: [GroupKind], extract: @escaping @Sendable (KubeObject) -> [String]) {
        self.name = name
        self.kinds = kinds
        self.extract = extract
    }

    /// `spec.groupRef` of the group's member kinds (MCPServer, MCPRemoteProxy, MCPServerEntry) and
    /// of VirtualMCPServer (which reads `spec.groupRef.name`, or APRIL's `spec.config.groupRef`).
    public static let groupRef = FieldIndex(
        name: "spec.groupRef",
        kinds: [Kinds.mcpServer, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry, Kinds.virtualMCPServer]
    ) { o in
        GroupRef.name(in: o).map { [$0] } ?? []
    }

    /// `spec.toolConfigRef.name` of MCPServers, and every `spec.config.aggregation.tools[].toolConfigRef.name` of vMCPs.
    public static let toolConfigRef = FieldIndex(name: "toolConfigRef", kinds: [Kinds.mcpServer, Kinds.virtualMCPServer]) { o in
        guard let spec = o.root["spec"] else { return [] }
        var out: [String] = []
        if let n = spec["toolConfigRef"]?["name"]?.stringValue { out.append(n) }
        for t in spec["config"]?["aggregation"]?["tools"]?.arrayValue ?? [] {
            if let n = t["toolConfigRef"]?["name"]?.stringValue { out.append(n) }
        }
        return out
    }

    /// MCPExternalAuthConfig references: a workload's `externalAuthConfigRef`/`authServerRef`, a
    /// vMCP's `outgoingAuth.default` and `outgoingAuth.backends[*]`.
    public static let externalAuthConfigRef = FieldIndex(
        name: "externalAuthConfigRef",
        kinds: [Kinds.mcpServer, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry, Kinds.virtualMCPServer]
    ) { o in
        guard let spec = o.root["spec"] else { return [] }
        var out: [String] = []
        if let n = spec["externalAuthConfigRef"]?["name"]?.stringValue { out.append(n) }
        if let ref = spec["authServerRef"], let n = ref["name"]?.stringValue, (ref["kind"]?.stringValue ?? "MCPExternalAuthConfig") == "MCPExternalAuthConfig" {
            out.append(n)
        }
        if let outgoing = spec["outgoingAuth"] {
            if let n = outgoing["default"]?["externalAuthConfigRef"]?["name"]?.stringValue { out.append(n) }
            for (_, b) in outgoing["backends"]?.objectValue ?? OrderedMap() {
                if let n = b["externalAuthConfigRef"]?["name"]?.stringValue { out.append(n) }
            }
        }
        return out
    }

    /// `spec.config.compositeToolRefs[].name` of vMCPs.
    public static let compositeToolRef = FieldIndex(name: "compositeToolRef", kinds: [Kinds.virtualMCPServer]) { o in
        (o.root["spec"]?["config"]?["compositeToolRefs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// A vMCP's `spec.incomingAuth.oidcConfigRef.name`.
    public static let vmcpOIDCConfigRef = FieldIndex(name: "vmcpOIDCConfigRef", kinds: [Kinds.virtualMCPServer]) { o in
        o.spec[path: "incomingAuth.oidcConfigRef.name"]?.stringValue.map { [$0] } ?? []
    }

    /// A vMCP's authz ConfigMap (`spec.incomingAuth.authzConfig.configMap.name` when its type is `configMap`).
    public static let vmcpAuthzConfigMapRef = FieldIndex(name: "vmcpAuthzConfigMapRef", kinds: [Kinds.virtualMCPServer]) { o in
        guard o.spec[path: "incomingAuth.authzConfig.type"]?.stringValue == "configMap" else { return [] }
        return o.spec[path: "incomingAuth.authzConfig.configMap.name"]?.stringValue.map { [$0] } ?? []
    }

    /// A vMCP's session storage password Secret (`spec.sessionStorage.passwordRef.name`).
    public static let vmcpSessionPasswordRef = FieldIndex(name: "vmcpSessionPasswordRef", kinds: [Kinds.virtualMCPServer]) { o in
        o.spec[path: "sessionStorage.passwordRef.name"]?.stringValue.map { [$0] } ?? []
    }

    /// An MCPServer's `spec.<field>.name` reference to a shared config kind: a write to such a
    /// config finds its servers without reading every server in the namespace.
    static func serverRef(_ field: String) -> FieldIndex {
        FieldIndex(name: "MCPServer.spec.\(field)", kinds: [Kinds.mcpServer]) { o in
            o.spec[field]?["name"]?.stringValue.map { [$0] } ?? []
        }
    }
    public static let serverOIDCConfigRef = serverRef("oidcConfigRef")
    public static let serverAuthzConfigRef = serverRef("authzConfigRef")
    public static let serverTelemetryConfigRef = serverRef("telemetryConfigRef")
    public static let serverWebhookConfigRef = serverRef("webhookConfigRef")

    public static let all: [FieldIndex] = [
        groupRef, toolConfigRef, externalAuthConfigRef, compositeToolRef, vmcpOIDCConfigRef, vmcpAuthzConfigMapRef, vmcpSessionPasswordRef,
        serverOIDCConfigRef, serverAuthzConfigRef, serverTelemetryConfigRef, serverWebhookConfigRef,
    ]
}

/// `groupRef` in both shapes: the old bare string (APRIL) and `{name: ...}` (LATEST); for
/// VirtualMCPServer also APRIL's `spec.config.groupRef`.
public enum GroupRef {
    public static func name(in object: KubeObject) -> String? {
        if let n = name(from: object.spec["groupRef"]) { return n }
        if object.groupKind == Kinds.virtualMCPServer { return name(from: object.spec[path: "config.groupRef"]) }
        return nil
    }
    public static func name(from value: Value?) -> String? {
        switch value {
        case .string(let s)?: return s.isEmpty ? nil : s
        case .object(let m)?:
            guard let s = m["name"]?.stringValue, !s.isEmpty else { return nil }
            return s
        default: return nil
        }
    }
}
