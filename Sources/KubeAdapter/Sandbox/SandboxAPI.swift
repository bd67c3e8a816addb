import ReconcileCore

/// Translates Kubernetes REST requests into `SandboxStore` calls: discovery, get/list/watch,
/// create/update/patch (merge and apply)/delete and `/status`. No storage semantics live here.
public struct SandboxAPI: Sendable {
    public let catalog: ResourceCatalog
    public let store: any SandboxStore
    /// Longest a watch stays open (the API server's default is 30-60 minutes; tests want less).
    public var maxWatchSeconds: Double = 1800
    /// How often a watch with `allowWatchBookmarks` gets a BOOKMARK while idle.
    public var bookmarkIntervalSeconds: Double = 10
    /// Called for every request before it is served; a non-nil answer replaces the normal one
    /// (fault injection in tests).
    public var intercept: (@Sendable (HTTPRequest) -> HTTPResponse?)? = nil
    /// Whether the server is stopping: open watches end.
    public var isStopping: @Sendable () -> Bool = { false }

    public init(catalog: ResourceCatalog = .standard, store: any SandboxStore) {
        self.catalog = catalog
        self.store = store
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if let intercept, let r = intercept(request) { return r }
        switch APIPath.parse(request.path, catalog: catalog) {
        case .version:
            return json(200, ["major": "1", "minor": "32", "gitVersion": "v1.32.0-operatorctl-sandbox", "platform": "linux/amd64"])
        case .health: return HTTPResponse.text(200, "ok")
        case .coreVersions:
            return json(200, ["kind": "APIVersions", "versions": ["v1"],
                              "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(request.header("host") ?? "127.0.0.1")]]])
        case .groups:
            let groups = catalog.groups.filter { !$0.name.isEmpty }.map { groupValue($0.name, $0.versions) }
            return json(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)])
        case .group(let g):
            guard let entry = catalog.groups.first(where: { $0.name == g && !g.isEmpty }) else { return notFoundPath(request) }
            var v = groupValue(entry.name, entry.versions)
            v.set(path: ["kind"], to: "APIGroup")
            v.set(path: ["apiVersion"], to: "v1")
            return json(200, v)
        case .resourceList(let group, let version):
            let types = catalog.resources.filter { $0.group == group && $0.versions.contains(version) }
            guard !types.isEmpty else { return notFoundPath(request) }
            var resources: [Value] = []
            for t in types {
                let verbs: Value = ["create", "delete", "get", "list", "patch", "update", "watch"]
                var r: Value = ["name": .string(t.plural), "singularName": .string(t.singular), "namespaced": .bool(t.namespaced),
                                "kind": .string(t.kind), "verbs": verbs]
                if !t.shortNames.isEmpty { r.set(path: ["shortNames"], to: .strings(t.shortNames)) }
                if !t.categories.isEmpty { r.set(path: ["categories"], to: .strings(t.categories)) }
                resources.append(r)
                if t.hasStatus {
                    resources.append(["name": .string(t.plural + "/status"), "singularName": "", "namespaced": .bool(t.namespaced),
                                      "kind": .string(t.kind), "verbs": ["get", "patch", "update"]])
                }
            }
            return json(200, ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
                              "resources": .array(resources)])
        case .resource(let address):
            return serve(request, address)
        case .unknown:
            return notFoundPath(request)
        }
    }

    // MARK: resources

    private func serve(_ request: HTTPRequest, _ a: ResourceAddress) -> HTTPResponse {
        let query = request.query
        do {
            switch (request.method, a.name) {
            case ("GET", nil):
                if query["watch"] == "true" || query["watch"] == "1" { return try watch(a, query) }
                return try list(a, query)
            case ("GET", let name?):
                return json(200, output(try store.get(key(a, name)), a))
            case ("POST", nil):
                var o = try decodeObject(request, a)
                if let ns = a.namespace { o.setMeta("namespace", .string(ns)) }
                guard !isDryRun(query) else { return json(201, output(o, a)) }
                return json(201, output(try store.create(o), a))
            case ("PUT", let name?):
                let o = try decodeObject(request, a)
                guard o.name == name else { throw StoreError.invalid("metadata.name: Invalid value: \"\(o.name)\": must match the name in the path") }
                var stored = o
                if let ns = a.namespace { stored.setMeta("namespace", .string(ns)) }
                return json(200, output(try store.update(stored, subresource: a.subresource), a))
            case ("PATCH", let name?):
                return try patch(request, a, name: name, query: query)
            case ("DELETE", let name?):
                let precondition = (try? JSONReader.parse(bytes: request.body))?[path: "preconditions.resourceVersion"]?.stringValue
                return json(200, output(try store.delete(key(a, name), preconditionResourceVersion: precondition), a))
            default:
                return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
            }
        } catch let e as StoreError {
            return storeError(e, a)
        } catch let e as ProtobufBody.Failure {
            return status(415, "UnsupportedMediaType", e.description)
        } catch {
            return status(400, "BadRequest", "\(error)")
        }
    }

    private func list(_ a: ResourceAddress, _ query: [String: String]) throws(StoreError) -> HTTPResponse {
        let (labels, fields) = try selectors(query)
        let (objects, rv) = store.list(a.type.groupKind, namespace: a.type.namespaced ? a.namespace : nil)
        let items = objects.filter { labels.matches($0.labels) && fields.matches($0) }.map { output($0, a) }
        return json(200, ["apiVersion": .string(a.apiVersion), "kind": .string(a.type.kind + "List"),
                          "metadata": ["resourceVersion": .string(String(rv))], "items": .array(items)])
    }

    private func watch(_ a: ResourceAddress, _ query: [String: String]) throws(StoreError) -> HTTPResponse {
        let (labels, fields) = try selectors(query)
        let requested = query["resourceVersion"] ?? ""
        var initial: [KubeObject] = []
        var start: Int
        if requested.isEmpty || requested == "0" {
            let (objects, rv) = store.list(a.type.groupKind, namespace: a.type.namespaced ? a.namespace : nil)
            initial = objects
            start = rv
        } else {
            guard let n = Int(requested) else { throw StoreError.invalid("resourceVersion: Invalid value: \"\(requested)\"") }
            start = n
        }
        let timeout = min(Double(query["timeoutSeconds"] ?? "") ?? maxWatchSeconds, maxWatchSeconds)
        let bookmarks = query["allowWatchBookmarks"] == "true"
        let store = self.store
        let stopping = isStopping
        let bookmarkEvery = bookmarkIntervalSeconds
        let namespace = a.type.namespaced ? a.namespace : nil
        let kind = a.type.groupKind
        let api = self
        let initialObjects = initial
        let startVersion = start
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream { sink in
            var start = startVersion
            func send(_ type: String, _ object: Value) -> Bool {
                sink.write(Array((JSONWriter.write(["type": .string(type), "object": object], pretty: false) + "\n").utf8))
            }
            for o in initialObjects where labels.matches(o.labels) && fields.matches(o) {
                guard send("ADDED", api.output(o, a)) else { return }
            }
            let deadline = Deadline(secondsFromNow: timeout)
            var nextBookmark = Deadline(secondsFromNow: bookmarkEvery)
            while !deadline.hasPassed && !sink.isClosed && !stopping() {
                let events: [StoreEvent]
                do {
                    events = try store.events(after: start, waitSeconds: 0.5)
                } catch {
                    _ = send("ERROR", api.statusValue(410, "Expired", "\(error)"))
                    return
                }
                for e in events {
                    start = e.resourceVersion
                    guard e.object.groupKind == kind, namespace == nil || e.object.namespace == namespace,
                        labels.matches(e.object.labels), fields.matches(e.object)
                    else { continue }
                    guard send(e.type.rawValue, api.output(e.object, a)) else { return }
                }
                if bookmarks && nextBookmark.hasPassed {
                    nextBookmark = Deadline(secondsFromNow: bookmarkEvery)
                    let mark: Value = ["apiVersion": .string(a.apiVersion), "kind": .string(a.type.kind),
                                       "metadata": ["resourceVersion": .string(String(start))]]
                    guard send("BOOKMARK", mark) else { return }
                }
            }
        })
    }

    private func patch(_ request: HTTPRequest, _ a: ResourceAddress, name: String, query: [String: String]) throws -> HTTPResponse {
        let contentType = (request.header("content-type") ?? "").split(separator: ";").first.map { String($0).trimmingSpaces } ?? ""
        let body: Value
        do {
            // Apply bodies may be YAML; every other patch is JSON.
            body = contentType == "application/apply-patch+yaml" ? try YAMLReader.parse(bytes: request.body) : try JSONReader.parse(bytes: request.body)
        } catch {
            return status(400, "BadRequest", "unreadable patch body: \(error)")
        }
        let k = key(a, name)
        let hasPrecondition = body[path: "metadata.resourceVersion"] != nil
        switch contentType {
        case "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml":
            // Strategic merge is treated as a JSON merge patch (the kinds served here carry no
            // patch-merge keys clients rely on); apply merges the applied configuration with force
            // and creates a missing object. Field ownership is the ClusterModel's business.
            let isApply = contentType == "application/apply-patch+yaml"
            var applied = body
            if isApply, let ns = a.namespace, a.type.namespaced { applied.set(path: ["metadata", "namespace"], to: .string(ns)) }
            for _ in 0..<5 {
                let current: KubeObject
                switch Result(catching: { () throws(StoreError) -> KubeObject in try store.get(k) }) {
                case .success(let c): current = c
                case .failure(.notFound) where isApply && a.subresource == .main:
                    guard let o = KubeObject(applied), o.name == name else {
                        throw StoreError.invalid("metadata.name: the apply body must name the object in the path")
                    }
                    switch Result(catching: { () throws(StoreError) -> KubeObject in try store.create(normalized(o, a)) }) {
                    case .success(let created): return json(201, output(created, a))
                    case .failure(.alreadyExists): continue
                    case .failure(let e): throw e
                    }
                case .failure(let e): throw e
                }
                guard var o = KubeObject(JSONMergePatch.apply(applied, to: current.value)) else {
                    throw StoreError.invalid("the patch must produce an object")
                }
                if isApply || !hasPrecondition { o.resourceVersion = current.resourceVersion }
                switch Result(catching: { () throws(StoreError) -> KubeObject in try store.update(normalized(o, a), subresource: a.subresource) }) {
                case .success(let updated): return json(200, output(updated, a))
                case .failure(.conflict) where isApply || !hasPrecondition: continue
                case .failure(let e): throw e
                }
            }
            throw StoreError.conflict(k, "too many concurrent updates")
        default:
            return status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
        }
    }

    // MARK: helpers

    private func key(_ a: ResourceAddress, _ name: String) -> ObjectKey {
        ObjectKey(a.type.groupKind, namespace: a.type.namespaced ? (a.namespace ?? "") : "", name: name)
    }

    private func isDryRun(_ query: [String: String]) -> Bool { !(query["dryRun"] ?? "").isEmpty }

    private func selectors(_ query: [String: String]) throws(StoreError) -> (LabelSelector, FieldSelector) {
        let labels: LabelSelector
        switch LabelSelector.parse(query["labelSelector"] ?? "") {
        case .success(let s): labels = s
        case .failure(let e): throw .invalid(e.message)
        }
        switch FieldSelector.parse(query["fieldSelector"] ?? "") {
        case .success(let f): return (labels, f)
        case .failure(let e): throw .invalid(e.message)
        }
    }

    private func decodeObject(_ request: HTTPRequest, _ a: ResourceAddress) throws -> KubeObject {
        let contentType = (request.header("content-type") ?? "").split(separator: ";").first.map { String($0).trimmingSpaces } ?? ""
        let v: Value
        if contentType == ProtobufBody.mediaType {
            // kubectl's typed clients (`kubectl create namespace`, ...) send protobuf; a failure is a 415.
            v = try ProtobufBody.decode(request.body)
        } else {
            do { v = try JSONReader.parse(bytes: request.body) } catch { throw StoreError.invalid("request body is not JSON: \(error)") }
        }
        guard let o = KubeObject(v) else { throw StoreError.invalid("request body must be an object") }
        guard o.kind == a.type.kind, APIVersion.group(of: o.apiVersion) == a.type.group else {
            throw StoreError.invalid("the API version in the data (\(o.apiVersion)) and kind (\(o.kind)) do not match \(a.apiVersion)/\(a.type.kind)")
        }
        return normalized(o, a)
    }

    /// Stored objects carry the preferred (storage) version, whatever version the client used.
    private func normalized(_ o: KubeObject, _ a: ResourceAddress) -> KubeObject {
        var c = o
        c.root["apiVersion"] = .string(a.type.preferredAPIVersion)
        c.root["kind"] = .string(a.type.kind)
        if !a.type.namespaced { c.setMeta("namespace", nil) }
        return c
    }

    /// Objects go out in the version the client asked for.
    fileprivate func output(_ o: KubeObject, _ a: ResourceAddress) -> Value {
        var c = o
        c.root["apiVersion"] = .string(a.apiVersion)
        return c.value
    }

    private func groupValue(_ name: String, _ versions: [String]) -> Value {
        let vs: [Value] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["name": .string(name), "versions": .array(vs), "preferredVersion": vs.first ?? .null]
    }

    private func json(_ code: Int, _ v: Value) -> HTTPResponse {
        HTTPResponse(status: code, headers: [("Content-Type", "application/json")], body: .bytes(Array(JSONWriter.write(v, pretty: false).utf8)))
    }

    fileprivate func statusValue(_ code: Int, _ reason: String, _ message: String, details: Value = .null) -> Value {
        var v: Value = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
                        "reason": .string(reason), "code": .int(Int64(code))]
        if !details.isNull { v.set(path: ["details"], to: details) }
        return v
    }

    private func status(_ code: Int, _ reason: String, _ message: String, details: Value = .null) -> HTTPResponse {
        json(code, statusValue(code, reason, message, details: details))
    }

    private func storeError(_ e: StoreError, _ a: ResourceAddress) -> HTTPResponse {
        var details: Value = .null
        switch e {
        case .notFound(let k), .alreadyExists(let k), .conflict(let k, _):
            details = ["name": .string(k.name), "group": .string(a.type.group), "kind": .string(a.type.plural)]
        default: break
        }
        return status(e.httpStatus, e.reason, e.description, details: details)
    }

    private func notFoundPath(_ r: HTTPRequest) -> HTTPResponse {
        status(404, "NotFound", "the server could not find the requested resource")
    }
}
