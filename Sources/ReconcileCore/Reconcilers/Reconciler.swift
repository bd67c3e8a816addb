/// A controller as a pure function: a snapshot and a key in, a `ReconcileResult` out.
///
/// Next to the function sits what the controller reads (its watch mapping), in the spirit of
/// controller-runtime's `For(...).Owns(...).Watches(...)`, but as a plain function too.
public protocol Reconciler: Sendable {
    /// Printed as `controller` in plans; by convention the primary kind ("MCPServer").
    var name: String { get }
    /// The kind this controller reconciles.
    var primaryKind: GroupKind { get }

    /// Decides everything one reconcile of `key` would do. Never performs I/O.
    func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult

    /// Which primaries of this controller a change to `changed` enqueues, besides the object itself
    /// (a primary) and the controlling owner of an owned object, which `WatchMapping` handles for
    /// every controller. Called with the old and with the new version of an updated object.
    func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey]
}

extension Reconciler {
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] { [] }
}

/// A primary to reconcile: which controller, which object.
public struct ReconcileRequest: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var controller: String
    public var key: ObjectKey
    public init(controller: String, key: ObjectKey) {
        self.controller = controller
        self.key = key
    }
    /// Controller, then key (field by field, see `GroupKind.<`).
    public static func < (a: ReconcileRequest, b: ReconcileRequest) -> Bool {
        if a.controller != b.controller { return a.controller < b.controller }
        return a.key < b.key
    }
    public var description: String { "\(controller) \(key)" }
}

/// The set of controllers the operator runs. One list, used by `simulate`, `converge` and the
/// live manager alike.
public struct ControllerSet: Sendable {
    public var reconcilers: [any Reconciler]
    public init(_ reconcilers: [any Reconciler]) { self.reconcilers = reconcilers }


    public func reconciler(named name: String) -> (any Reconciler)? { reconcilers.first { $0.name == name } }
    public func reconciler(for kind: GroupKind) -> (any Reconciler)? { reconcilers.first { $0.primaryKind == kind } }
    public var primaryKinds: Set<GroupKind> { Set(reconcilers.map(\.primaryKind)) }
}
