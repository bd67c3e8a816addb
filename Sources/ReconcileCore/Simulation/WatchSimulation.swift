/// `operatorctl simulate --changed KIND/NAMESPACE/NAME`: which primaries a change to one object
/// would enqueue, through `WatchMapping.requests`, the function the live adapter and `converge`
/// use, so what this prints is what the operator would do.
public enum WatchSimulation {
    /// The object named by `KIND/NAMESPACE/NAME` (or `KIND/NAME` in `defaultNamespace`), and what
    /// its change enqueues. KIND is a kind (`MCPServer`), case-insensitive, optionally with its
    /// group (`Deployment.apps`). The object must be in the snapshot: the mapping reads its labels,
    /// owners and references.
    public static func requests(
        forChanged target: String, in snapshot: Snapshot, controllers: ControllerSet, env: OperatorEnvironment, defaultNamespace: String = "default"
    ) throws(WatchSimulationError) -> (changed: KubeObject, requests: [ReconcileRequest]) {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), !parts.contains(where: \.isEmpty) else { throw .badTarget(target) }
        let kindText = parts[0]
        let name = parts[parts.count - 1]
        let candidates = Set(snapshot.kinds).union(controllers.primaryKinds).union(Kinds.known)
        let matches = candidates.filter { gk in
            kindText.caseInsensitiveEquals(gk.kind) || kindText.caseInsensitiveEquals("\(gk.kind).\(gk.group)")
        }.sorted()
        guard let groupKind = matches.first else { throw .unknownKind(kindText) }
        if matches.count > 1 { throw .ambiguousKind(kindText, matches.map(\.description)) }
        let namespace = parts.count == 3 ? parts[1] : (Kinds.isClusterScoped(groupKind) ? "" : defaultNamespace)
        let key = ObjectKey(groupKind, namespace: namespace, name: name)
        guard let object = snapshot.get(key) else { throw .notFound(target) }
        let requests = WatchMapping.requests(changed: object, previous: nil, snapshot: snapshot, controllers: controllers, env: env)
        return (object, requests)
    }

    /// The printed document: the changed object and the primaries it enqueues, in order.
    public static func document(changed: KubeObject, requests: [ReconcileRequest], snapshot: Snapshot) -> Value {
        var root = OrderedMap()
        root["apiVersion"] = .string(Plan.apiVersion)
        root["kind"] = "EnqueuedRequests"
        root["changed"] = changed.reference.value
        root["requests"] = .array(requests.map { r in
            let apiVersion = snapshot.get(r.key)?.apiVersion ?? Kinds.preferredAPIVersion(r.key.groupKind)
            let ref = ObjectReference(apiVersion: apiVersion, kind: r.key.kind, namespace: r.key.namespace, name: r.key.name)
            return ["controller": .string(r.controller), "object": ref.value]
        })
        return .object(root)
    }
}

public enum WatchSimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    case badTarget(String)
    case unknownKind(String)
    case ambiguousKind(String, [String])
    case notFound(String)

    public var description: String {
        switch self {
        case .badTarget(let t): return "--changed \(t): expected KIND/NAMESPACE/NAME or KIND/NAME"
        case .unknownKind(let k): return "--changed: unknown kind \"\(k)\""
        case .ambiguousKind(let k, let options): return "--changed: kind \"\(k)\" is ambiguous; use one of \(options.joined(separator: ", "))"
        case .notFound(let t): return "--changed \(t): no such object in the snapshot"
        }
    }
}

extension String {
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
