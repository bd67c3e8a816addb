import ReconcileCore

/// An API server failure: transport trouble, or a `Status` answer.
public enum APIError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(TransportError)
    case status(code: Int, reason: String, message: String)
    case decode(String)
    case unknownKind(GroupKind)

    public var isConflict: Bool { if case .status(409, let r, _) = self { return r != "AlreadyExists" }; return false }
    public var isNotFound: Bool { if case .status(404, _, _) = self { return true }; return false }
    public var isGone: Bool { if case .status(410, _, _) = self { return true }; return false }

    public var description: String {
        switch self {
        case .transport(let t): return t.description
        case .status(let c, let r, let m): return "\(c) \(r): \(m)"
        case .decode(let m): return "unreadable response: \(m)"
        case .unknownKind(let k): return "no REST mapping for \(k)"
        }
    }
}

/// Typed calls on the Kubernetes REST API over any `Transport`: the request shapes live here,
/// once, for the watcher, the plan applier and leader election.
public struct APIClient: Sendable {
    public let transport: any Transport
    public let catalog: ResourceCatalog

    public init(transport: any Transport, catalog: ResourceCatalog = .standard) {
        self.transport = transport
        self.catalog = catalog
    }

    public func resource(_ kind: GroupKind) throws(APIError) -> ResourceType {
        guard let r = catalog.resource(for: kind) else { throw .unknownKind(kind) }
        return r
    }

    public func get(_ key: ObjectKey) async throws(APIError) -> KubeObject {
        let r = try resource(key.groupKind)
        return try await object(APIRequest(method: "GET", path: r.objectPath(namespace: key.namespace, name: key.name)))
    }

    public func list(_ kind: GroupKind, namespace: String?) async throws(APIError) -> (objects: [KubeObject], resourceVersion: String) {
        let r = try resource(kind)
        let v = try await value(APIRequest(method: "GET", path: r.collectionPath(namespace: namespace)))
        // List items carry no apiVersion/kind for built-in types; restore them so keys are right.
        let items = (v["items"]?.arrayValue ?? []).compactMap { item -> KubeObject? in
            guard var o = KubeObject(item) else { return nil }
            if o.apiVersion.isEmpty { o.root["apiVersion"] = .string(r.preferredAPIVersion) }
            if o.kind.isEmpty { o.root["kind"] = .string(r.kind) }
            return o
        }
        return (items, v[path: "metadata.resourceVersion"]?.stringValue ?? "")
    }

    /// Opens a watch from `resourceVersion` with bookmarks; the server closes it after `timeoutSeconds`.
    public func watch(_ kind: GroupKind, namespace: String?, resourceVersion: String, timeoutSeconds: Int) async throws(APIError) -> APIStream {
        let r = try resource(kind)
        let path = r.collectionPath(namespace: namespace)
            + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(PercentEncoding.queryValue(resourceVersion))&timeoutSeconds=\(timeoutSeconds)"
        let stream: APIStream
        do { stream = try await transport.stream(APIRequest(method: "GET", path: path, timeoutSeconds: nil)) } catch { throw .transport(error) }
        if stream.status != 200 {
            var body: [UInt8] = []
            do { for try await c in stream.body { body += c } } catch {}
            throw Self.statusError(stream.status, body)
        }
        return stream
    }

    /// Server-side apply of the whole desired object, one field manager, force (conflicts with
    /// other managers are taken over, as controllers do).
    public func apply(_ object: KubeObject, fieldManager: String) async throws(APIError) -> KubeObject {
        let r = try resource(object.groupKind)
        var body = object
        body.root["status"] = Value?.none
        for f in ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"] { body.setMeta(f, nil) }
        let path = r.objectPath(namespace: object.namespace, name: object.name) + "?fieldManager=\(PercentEncoding.queryValue(fieldManager))&force=true"
        return try await self.object(APIRequest(method: "PATCH", path: path, headers: ["Content-Type": "application/apply-patch+yaml"],
                                           body: Array(JSONWriter.write(body.value, pretty: false).utf8)))
    }

    /// A JSON merge patch, on the object or its `/status`.
    public func mergePatch(_ key: ObjectKey, _ patch: Value, status: Bool) async throws(APIError) -> KubeObject {
        let r = try resource(key.groupKind)
        let path = r.objectPath(namespace: key.namespace, name: key.name, subresource: status ? "status" : nil)
        return try await object(APIRequest(method: "PATCH", path: path, headers: ["Content-Type": "application/merge-patch+json"],
                                           body: Array(JSONWriter.write(patch, pretty: false).utf8)))
    }

    public func create(_ object: KubeObject) async throws(APIError) -> KubeObject {
        let r = try resource(object.groupKind)
        return try await self.object(APIRequest(method: "POST", path: r.collectionPath(namespace: object.namespace),
                                                headers: ["Content-Type": "application/json"], body: Array(JSONWriter.write(object.value, pretty: false).utf8)))
    }

    public func update(_ object: KubeObject) async throws(APIError) -> KubeObject {
        let r = try resource(object.groupKind)
        return try await self.object(APIRequest(method: "PUT", path: r.objectPath(namespace: object.namespace, name: object.name),
                                                headers: ["Content-Type": "application/json"], body: Array(JSONWriter.write(object.value, pretty: false).utf8)))
    }

    /// Deletes with background propagation (dependents are collected by the garbage collector).
    public func delete(_ key: ObjectKey) async throws(APIError) {
        let r = try resource(key.groupKind)
        let body: Value = ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"]
        _ = try await value(APIRequest(method: "DELETE", path: r.objectPath(namespace: key.namespace, name: key.name),
                                       headers: ["Content-Type": "application/json"], body: Array(JSONWriter.write(body, pretty: false).utf8)))
    }

    // MARK: plumbing

    private func object(_ request: APIRequest) async throws(APIError) -> KubeObject {
        let v = try await value(request)
        guard let o = KubeObject(v) else { throw .decode("expected an object") }
        return o
    }

    private func value(_ request: APIRequest) async throws(APIError) -> Value {
        let response: APIResponse
        do { response = try await transport.send(request) } catch { throw .transport(error) }
        guard (200..<300).contains(response.status) else { throw Self.statusError(response.status, response.body) }
        do { return try JSONReader.parse(bytes: response.body) } catch { throw .decode(error.description) }
    }

    static func statusError(_ code: Int, _ body: [UInt8]) -> APIError {
        let v = try? JSONReader.parse(bytes: body)
        return .status(code: code, reason: v?["reason"]?.stringValue ?? HTTPResponse.reasonPhrase(code),
                       message: v?["message"]?.stringValue ?? String(decoding: body.prefix(200), as: UTF8.self))
    }
}
