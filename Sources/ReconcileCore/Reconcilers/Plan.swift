/// What one reconcile decided, as plain data: the contract's `reconciles[]` entry.
///
/// Reconcilers never write; they return this, and the adapter (live) or the ClusterModel
/// (offline) carries the actions out in order.
public struct ReconcileResult: Sendable, Equatable {
    public var controller: String
    public var object: ObjectReference
    public var actions: [Action]
    public var requeueAfterSeconds: Double?
    public var events: [Event]

    public init(controller: String, object: ObjectReference, actions: [Action] = [], requeueAfterSeconds: Double? = nil, events: [Event] = []) {
        self.controller = controller
        self.object = object
        self.actions = actions
        self.requeueAfterSeconds = requeueAfterSeconds
        self.events = events
    }

    /// Nothing to write and no events: the object is in step with the cluster.
    public var isNoop: Bool { actions.isEmpty && events.isEmpty }

    /// A primary that is no longer there (deleted between enqueue and reconcile): nothing to do,
    /// as controller-runtime reconcilers ignore NotFound.
    public static func gone(controller: String, key: ObjectKey) -> ReconcileResult {
        let ref = ObjectReference(apiVersion: Kinds.preferredAPIVersion(key.groupKind), kind: key.kind, namespace: key.namespace, name: key.name)
        return ReconcileResult(controller: controller, object: ref)
    }
}

/// One write, with the reasons that led to it (`--explain`).
public struct Action: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        /// Server-side apply of the whole desired object (only the fields the operator owns).
        case apply(KubeObject)
        case delete(ObjectReference)
        /// Replace the status subresource with this whole status.
        case patchStatus(ObjectReference, status: Value)
        case addFinalizer(ObjectReference, finalizer: String)
        case removeFinalizer(ObjectReference, finalizer: String)
    }

    public var operation: Operation
    /// Why: which input fields, conditions or missing objects led here, and for an update which
    /// fields differ between observed and desired. Printed only with `--explain`.
    public var reasons: [String]

    public init(_ operation: Operation, reasons: [String] = []) {
        self.operation = operation
        self.reasons = reasons
    }

    public static func apply(_ object: KubeObject, reasons: [String] = []) -> Action { Action(.apply(object), reasons: reasons) }
    public static func delete(_ target: ObjectReference, reasons: [String] = []) -> Action { Action(.delete(target), reasons: reasons) }
    public static func patchStatus(_ target: ObjectReference, _ status: Value, reasons: [String] = []) -> Action {
        Action(.patchStatus(target, status: status), reasons: reasons)
    }
    public static func addFinalizer(_ target: ObjectReference, _ finalizer: String, reasons: [String] = []) -> Action {
        Action(.addFinalizer(target, finalizer: finalizer), reasons: reasons)
    }
    public static func removeFinalizer(_ target: ObjectReference, _ finalizer: String, reasons: [String] = []) -> Action {
        Action(.removeFinalizer(target, finalizer: finalizer), reasons: reasons)
    }

    /// The object this action writes.
    public var target: ObjectReference {
        switch operation {
        case .apply(let o): return o.reference
        case .delete(let r), .patchStatus(let r, _), .addFinalizer(let r, _), .removeFinalizer(let r, _): return r
        }
    }

    public var op: String {
        switch operation {
        case .apply: return "apply"
        case .delete: return "delete"
        case .patchStatus: return "patchStatus"
        case .addFinalizer: return "addFinalizer"
        case .removeFinalizer: return "removeFinalizer"
        }
    }
}

/// A Kubernetes event the operator would record on its primary object.
public struct Event: Sendable, Equatable {
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }
    public var type: EventType
    public var reason: String
    public var message: String
    public init(_ type: EventType, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}

/// One simulate pass over every primary: the contract's `Plan` document.
public struct Plan: Sendable, Equatable {
    public static let apiVersion = "operatorctl.toolhive.dev/v1alpha1"
    public var reconciles: [ReconcileResult]

    public init(reconciles: [ReconcileResult]) {
        self.reconciles = reconciles.sorted {
            ($0.controller, $0.object.namespace, $0.object.name) < ($1.controller, $1.object.namespace, $1.object.name)
        }
    }

    /// The entries before `reconciles`, for writers that stream the reconciles (`ListDocumentWriter`).
    public static let header = OrderedMap([("apiVersion", .string(apiVersion)), ("kind", "Plan")])
    public static let listKey = "reconciles"

    /// The contract's tree. `explain` adds each action's `reasons`.
    public func value(explain: Bool = false) -> Value {
        var root = Self.header
        root[Self.listKey] = .array(reconciles.map { $0.value(explain: explain) })
        return .object(root)
    }
}

extension ReconcileResult {
    public func value(explain: Bool = false) -> Value {
        var m = OrderedMap()
        m["controller"] = .string(controller)
        m["object"] = object.value
        m["actions"] = .array(actions.map { $0.value(explain: explain) })
        if let requeueAfterSeconds {
            m["requeueAfterSeconds"] = requeueAfterSeconds == requeueAfterSeconds.rounded() ? .int(Int64(requeueAfterSeconds)) : .double(requeueAfterSeconds)
        }
        if !events.isEmpty {
            m["events"] = .array(events.map { e in ["type": .string(e.type.rawValue), "reason": .string(e.reason), "message": .string(e.message)] })
        }
        return .object(m)
    }
}

extension Action {
    public func value(explain: Bool = false) -> Value {
        var m = OrderedMap()
        m["op"] = .string(op)
        switch operation {
        case .apply(let o): m["object"] = o.value
        case .delete(let r): m["target"] = r.value
        case .patchStatus(let r, let status):
            m["target"] = r.value
            m["status"] = status
        case .addFinalizer(let r, let f), .removeFinalizer(let r, let f):
            m["target"] = r.value
            m["finalizer"] = .string(f)
        }
        if explain && !reasons.isEmpty { m["reasons"] = .strings(reasons) }
        return .object(m)
    }
}
