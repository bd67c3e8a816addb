/// A problem with an input file, printed as `PATH:LINE:COLUMN: error: MESSAGE`.
public struct LoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: FileLocation
    public var message: String
    public init(_ message: String, at location: FileLocation) {
        self.location = location
        self.message = message
    }
    public var description: String { "\(location): error: \(message)" }
}

/// All the problems found in a set of inputs (every file is read; nothing stops at the first).
public struct LoadErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LoadError]
    public init(_ errors: [LoadError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// One input: where it came from (a path or `-`) and its bytes. Reading files is the caller's
/// job; the loader itself is pure, so tests and the adapter's sandbox use it as-is.
public struct InputSource: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
    public init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }

    // An input is JSON by extension, or (for `-` and other names) by a first non-blank `{` or `[`.

    /// True for `.json`, false for `.yaml` and `.yml`, nil when the name does not say.
    static func format(ofPath path: String) -> Bool? {
        if path.hasSuffix(".json") { return true }
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return false }
        return nil
    }

    /// Whether the first non-blank byte opens JSON (`{` or `[`); nil when all bytes are blank.
    static func format(ofContent bytes: ArraySlice<UInt8>) -> Bool? {
        for b in bytes {
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return nil
    }
}

/// Turns input files into objects and a `Snapshot`, as the operatorctl contract says: YAML streams,
/// `kind: List` and `*List`, JSON; default namespace; deterministic server-managed metadata; a
/// duplicated object is an error naming both places.
public struct SnapshotLoader: Sendable {
    public var defaultNamespace: String
    /// Fill uid, resourceVersion, generation and creationTimestamp when absent (simulate, converge);
    /// `convert` leaves objects as written.
    public var fillServerMetadata: Bool
    public var creationTimestamp: Timestamp

    public init(defaultNamespace: String = "default", fillServerMetadata: Bool = true, creationTimestamp: Timestamp = .simulationEpoch) {
        self.defaultNamespace = defaultNamespace
        self.fillServerMetadata = fillServerMetadata
        self.creationTimestamp = creationTimestamp
    }

    /// An object as read, with where it was read from.
    public struct Loaded: Sendable {
        public var object: KubeObject
        public var location: FileLocation
        /// Field positions of the document the object came from (only when asked for), keyed by
        /// field path relative to the object.
        public var fieldPositions: [String: SourcePosition]
    }

    /// Every object of every input, in input order. Throws all problems at once.
    /// splitDocuments: parse YAML document by document (`LoadSession`); false parses each file
    /// whole, the reference the tests compare with.
    public func loadObjects(_ inputs: [InputSource], recordPositions: Bool = false, splitDocuments: Bool = true) throws(LoadErrors) -> [Loaded] {
        var out = LoadedObjects()
        try load(inputs, into: &out, recordPositions: recordPositions, splitDocuments: splitDocuments)
        return out.items
    }

    /// The snapshot of every object in the inputs, with each object's origin recorded.
    public func load(_ inputs: [InputSource]) throws(LoadErrors) -> Snapshot {
        var snapshot = Snapshot()
        try load(inputs, into: &snapshot)
        return snapshot
    }

    func load<Sink: LoadSink>(_ inputs: [InputSource], into sink: inout Sink, recordPositions: Bool = false, splitDocuments: Bool = true) throws(LoadErrors) {
        var session = LoadSession(loader: self, recordPositions: recordPositions, splitDocuments: splitDocuments)
        for input in inputs {
            session.begin(path: input.path)
            session.feed(input.bytes[...], into: &sink)
            session.end(into: &sink)
        }
        try session.finish()
    }

    /// THE place loaded objects enter a snapshot (with where each came from), packed: loaded
    /// objects are mostly only read, and their trees would be most of a large input's memory.
    public static func insert(_ item: Loaded, into snapshot: inout Snapshot) {
        snapshot.upsert(item.object, packed: true, origin: item.location)
    }

    /// A document is either one object, a `List` of objects, or empty: each object goes to
    /// `emit`, in order. A List's items taken out while parsing (`ListItemDetacher`) are unpacked
    /// one at a time and released once used, so the List is never one tree.
    func expand(_ doc: inout ParsedDocument, path: String, errors: inout [LoadError], emit: (Loaded) -> Void) {
        let location = FileLocation(path: path, position: doc.position)
        switch doc.value {
        case .null:
            return
        case .object(let map):
            if let (kind, items) = Self.listItems(map) {
                guard case .array(let elements) = items else {
                    errors.append(LoadError("\(kind).items: expected a list, got \(items.typeName)", at: position(of: "items", in: doc, fallback: location)))
                    return
                }
                var itemPositions = positionsByItem(in: doc)
                for (i, element) in elements.enumerated() {
                    var element = element
                    if i < doc.detachedItems.count, let packed = doc.detachedItems[i] {
                        doc.detachedItems[i] = nil
                        element = .object(packed.object.root)
                    }
                    let noted = i < doc.itemPositions.count ? FileLocation(path: path, position: doc.itemPositions[i]) : location
                    let itemLocation = position(of: "items[\(i)]", in: doc, fallback: noted)
                    if let o = object(from: element, at: itemLocation, errors: &errors) {
                        emit(Loaded(object: o, location: itemLocation, fieldPositions: itemPositions.removeValue(forKey: i) ?? [:]))
                    }
                }
                return
            }
            if !doc.detachedItems.isEmpty {
                // Not a List after all: the object keeps its `items`.
                doc.value = doc.reattached
                doc.detachedItems = []
            }
            guard let o = object(from: doc.value, at: location, errors: &errors) else { return }
            emit(Loaded(object: o, location: location, fieldPositions: doc.fieldPositions))
        default:
            errors.append(LoadError("document is \(doc.value.typeName), expected a Kubernetes object (a map with apiVersion, kind and metadata)", at: location))
        }
    }

    /// Whether expanding the document would report a problem. Asked before any of its objects is
    /// added, so that a document with problems can first be read again with positions. Items
    /// taken out while parsing have none: only loadable ones are taken.
    func hasProblems(_ doc: ParsedDocument) -> Bool {
        switch doc.value {
        case .null:
            return false
        case .object(let map):
            guard let (_, items) = Self.listItems(map) else { return Self.unusable(doc.value) != nil }
            guard case .array(let elements) = items else { return true }
            return elements.indices.contains { i in
                !(i < doc.detachedItems.count && doc.detachedItems[i] != nil) && Self.unusable(elements[i]) != nil
            }
        default:
            return true
        }
    }

    /// A List's kind and `items` (`kind: List` or any `*List`), nil for any other map.
    private static func listItems(_ map: OrderedMap) -> (kind: String, items: Value)? {
        let kind = map["kind"]?.stringValue ?? ""
        guard kind == "List" || kind.hasSuffix("List"), let items = map["items"] else { return nil }
        return (kind, items)
    }

    private func position(of path: String, in doc: ParsedDocument, fallback: FileLocation) -> FileLocation {
        guard let p = doc.fieldPositions[path] else { return fallback }
        return FileLocation(path: fallback.path, position: p)
    }

    /// A List document's field positions split by item, relative to the item: `items[3].spec.x`
    /// becomes `spec.x` of item 3. One pass over the document: filtering the whole document's
    /// positions once per item was quadratic (minutes for an 18 MB `kubectl get -o yaml` List).
    private func positionsByItem(in doc: ParsedDocument) -> [Int: [String: SourcePosition]] {
        var out: [Int: [String: SourcePosition]] = [:]
        let prefix = Array("items[".utf8)
        for (k, v) in doc.fieldPositions {
            let u = k.utf8
            guard u.starts(with: prefix) else { continue }
            var i = u.index(u.startIndex, offsetBy: prefix.count)
            var index = 0
            var digits = 0
            while i < u.endIndex, u[i] >= 0x30, u[i] <= 0x39, digits < 18 {
                index = index * 10 + Int(u[i] - 0x30)
                digits += 1
                i = u.index(after: i)
            }
            // `]` then `.`: a field inside the item (the item's own position is `items[i]`).
            guard digits > 0, i < u.endIndex, u[i] == UInt8(ascii: "]") else { continue }
            i = u.index(after: i)
            guard i < u.endIndex, u[i] == UInt8(ascii: ".") else { continue }
            out[index, default: [:]][String(Substring(u[u.index(after: i)...]))] = v
        }
        return out
    }

    /// Checks the identity fields and fills the defaults; nil (with an error) when unusable.
    func object(from value: Value, at location: FileLocation, errors: inout [LoadError]) -> KubeObject? {
        if let why = Self.unusable(value) {
            errors.append(LoadError(why, at: location))
            return nil
        }
        guard case .object(let map) = value else { return nil }
        var object = KubeObject(root: map)
        if object.namespace.isEmpty && !Kinds.isClusterScoped(object.groupKind) {
            object.setMeta("namespace", .string(defaultNamespace))
        }
        if fillServerMetadata { fillMetadata(&object) }
        return object
    }

    /// Why a value cannot be loaded as an object (not a map; no apiVersion, kind or
    /// metadata.name; metadata or namespace of the wrong type), nil when it can.
    static func unusable(_ value: Value) -> String? {
        guard case .object(let map) = value else {
            return "expected a Kubernetes object (a map), got \(value.typeName)"
        }
        var problems: [String] = []
        if map["apiVersion"]?.stringValue?.isEmpty ?? true { problems.append("apiVersion") }
        if map["kind"]?.stringValue?.isEmpty ?? true { problems.append("kind") }
        let meta = map["metadata"]
        if let meta, meta.objectValue == nil {
            return "metadata: expected a map, got \(meta.typeName)"
        }
        if meta?["name"]?.stringValue?.isEmpty ?? true { problems.append("metadata.name") }
        if !problems.isEmpty {
            let what = map["kind"]?.stringValue.map { "\($0) object" } ?? "object"
            return "\(what) has no \(problems.joined(separator: ", ")) (each object needs apiVersion, kind and metadata.name)"
        }
        if let ns = meta?["namespace"], ns.stringValue == nil {
            return "metadata.namespace: expected a string, got \(ns.typeName)"
        }
        return nil
    }

    /// Deterministic stand-ins for what the API server would have set.
    func fillMetadata(_ object: inout KubeObject) {
        // Take the metadata map out of the tree (keeping its position) so it is changed in place,
        // then put it back once.
        let key = object.key  // read before the metadata is taken out
        var meta = object.metadata
        object.root["metadata"] = .null
        meta.reserveCapacity(meta.count + 4)  // uid, resourceVersion, generation, creationTimestamp at most
        if meta["uid"]?.stringValue?.isEmpty ?? true { meta["uid"] = .string(Self.deterministicUID(for: key)) }
        if meta["resourceVersion"]?.stringValue?.isEmpty ?? true { meta["resourceVersion"] = "1" }
        // The API server sets generation 1 on every custom resource and on built-in kinds with a spec.
        if meta["generation"] == nil, object.root["spec"] != nil || object.groupKind.group == Kinds.toolhiveGroup { meta["generation"] = 1 }
        if meta["creationTimestamp"] == nil { meta["creationTimestamp"] = .string(creationTimestamp.rfc3339) }
        object.root["metadata"] = .object(meta)
    }

    /// A UUID-shaped id derived from the object's identity, so fixtures need not spell uids out.
    public static func deterministicUID(for key: ObjectKey) -> String {
        // Bytes, not Characters: this runs once per loaded object.
        let hex = SHA256.hex("uid|\(key.group)|\(key.kind)|\(key.namespace)|\(key.name)").utf8
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, c) in hex.prefix(32).enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(0x2D) }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
