import ReconcileCore

/// What the sandbox's HTTP layer needs from an object store: the API server's storage semantics
/// (identity, resourceVersion, generation, status subresource, finalizers, garbage collection)
/// behind a small interface, so the HTTP layer only translates requests.
///
/// The offline engine's `ClusterModel` is meant to sit behind this protocol; until it lands,
/// `InMemoryStore` is the implementation used.
public protocol SandboxStore: Sendable {
    func get(_ key: ObjectKey) throws(StoreError) -> KubeObject
    /// Objects of a kind in a namespace (nil: all), with the store's current resourceVersion.
    func list(_ kind: GroupKind, namespace: String?) -> (objects: [KubeObject], resourceVersion: Int)
    func create(_ object: KubeObject) throws(StoreError) -> KubeObject
    /// Replaces the main resource (`.main`, status kept when the kind has a status subresource) or
    /// only the status (`.status`). A non-empty `metadata.resourceVersion` is a precondition.
    func update(_ object: KubeObject, subresource: Subresource) throws(StoreError) -> KubeObject
    /// Deletes (or, with finalizers, marks for deletion) and garbage-collects dependents in the
    /// background. Returns the object's last state.
    func delete(_ key: ObjectKey, preconditionResourceVersion: String?) throws(StoreError) -> KubeObject
    /// Every change after `resourceVersion`, waiting up to `waitSeconds` for the first one;
    /// `.gone` when that version is older than the retained history.
    func events(after resourceVersion: Int, waitSeconds: Double) throws(StoreError) -> [StoreEvent]
    var currentResourceVersion: Int { get }
}

public enum Subresource: String, Sendable { case main, status }

/// One change, as a watch reports it.
public struct StoreEvent: Sendable, Equatable {
    public enum EventType: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var type: EventType
    public var object: KubeObject
    public var resourceVersion: Int
    public init(type: EventType, object: KubeObject, resourceVersion: Int) {
        self.type = type
        self.object = object
        self.resourceVersion = resourceVersion
    }
}

/// Store failures, each mapping to the API server's HTTP status and `reason`.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(ObjectKey)
    case alreadyExists(ObjectKey)
    case conflict(ObjectKey, String)
    case invalid(String)
    case gone(String)

    public var httpStatus: Int {
        switch self {
        case .notFound: return 404
        case .alreadyExists, .conflict: return 409
        case .invalid: return 422
        case .gone: return 410
        }
    }
    public var reason: String {
        switch self {
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .conflict: return "Conflict"
        case .invalid: return "Invalid"
        case .gone: return "Expired"
        }
    }
    public var description: String {
        switch self {
        case .notFound(let k): return "\(Self.resourceWord(k)) \"\(k.name)\" not found"
        case .alreadyExists(let k): return "\(Self.resourceWord(k)) \"\(k.name)\" already exists"
        case .conflict(let k, let why):
            return "Operation cannot be fulfilled on \(Self.resourceWord(k)) \"\(k.name)\": \(why)"
        case .invalid(let m): return m
        case .gone(let m): return m
        }
    }
    /// `mcpservers.toolhive.stacklok.dev` / `pods`, as the API server words it.
    static func resourceWord(_ k: ObjectKey) -> String {
        let plural = ResourceCatalog.standard.resource(for: k.groupKind)?.plural ?? k.kind.lowercased()
        return k.group.isEmpty ? plural : "\(plural).\(k.group)"
    }
}
