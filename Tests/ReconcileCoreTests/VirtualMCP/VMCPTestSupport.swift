import Testing
@testable import ReconcileCore

/// Builders for VirtualMCPServer tests: objects from JSON text (so a test reads like a manifest),
/// a snapshot with server-managed metadata filled in, and a tiny apply step to check steady state.
enum VT {
    static let ns = "default"

    /// An object from JSON; namespace, uid and generation filled like the loader does.
    static func obj(_ json: String, generation: Int64 = 1) -> KubeObject {
        guard let v = try? JSONReader.parse(json), var o = KubeObject(v) else {
            Issue.record("bad test JSON: \(json)")
            return KubeObject(apiVersion: "v1", kind: "Broken", namespace: ns, name: "broken")
        }
        if o.namespace.isEmpty && !Kinds.isClusterScoped(o.groupKind) { o.setMeta("namespace", .string(ns)) }
        if o.uid.isEmpty { o.uid = "uid-\(o.kind.lowercased())-\(o.name)" }
        if o.metadata["generation"] == nil { o.generation = generation }
        return o
    }

    static func group(_ name: String = "g", ready: Bool = true) -> KubeObject {
        obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPGroup","metadata":{"name":"\#(name)"},"spec":{}\#(ready ? #","status":{"phase":"Ready"}"# : "")}"#)
    }

    static func server(_ name: String, group: String = "g", phase: String? = "Ready", url: Bool = true, transport: String = "streamable-http", authRef: String? = nil) -> KubeObject {
        var status: [String] = []
        if let phase { status.append(#""phase":"\#(phase)""#) }
        if url { status.append(#""url":"http://mcp-\#(name)-proxy.default.svc.cluster.local:8080/mcp""#) }
        let auth = authRef.map { #","externalAuthConfigRef":{"name":"\#($0)"}"# } ?? ""
        return obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServer","metadata":{"name":"\#(name)"},"spec":{"groupRef":{"name":"\#(group)"},"image":"img","transport":"\#(transport)"\#(auth)},"status":{\#(status.joined(separator: ","))}}"#)
    }

    static func vmcp(_ name: String = "v", spec: String = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"}"#, generation: Int64 = 1) -> KubeObject {
        obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPServer","metadata":{"name":"\#(name)"},"spec":{\#(spec)}}"#, generation: generation)
    }

    static func tokenExchange(_ name: String, secret: String = "te-secret") -> KubeObject {
        obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"\#(name)"},"spec":{"type":"tokenExchange","tokenExchange":{"tokenUrl":"https://idp/token","clientId":"c","clientSecretRef":{"name":"\#(secret)","key":"s"},"audience":"aud"}}}"#)
    }

    static func secret(_ name: String, key: String) -> KubeObject {
        obj(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"\#(name)"},"data":{"\#(key)":"eA=="}}"#)
    }

    static func reconcile(_ objects: [KubeObject], _ key: ObjectKey? = nil, env: OperatorEnvironment = OperatorEnvironment()) -> ReconcileResult {
        let s = Snapshot(objects)
        let k = key ?? s.keys(Kinds.virtualMCPServer).first ?? ObjectKey(Kinds.virtualMCPServer, namespace: ns, name: "v")
        return VirtualMCPServerReconciler().reconcile(s, key: k, env: env)
    }

    /// The objects after the plan was carried out (by the shared test API server), for steady-state checks.
    static func apply(_ r: ReconcileResult, to objects: [KubeObject]) -> [KubeObject] {
        var s = Snapshot(objects)
        TestAPIServer.apply(r, to: &s)
        return s.allObjects
    }

    /// The generated config.yaml of a plan, parsed back.
    static func config(_ r: ReconcileResult, name: String = "v") -> Value? {
        guard let cm = r.applied("ConfigMap", Naming.vmcpConfigMap(name)),
            let text = cm.root["data"]?["config.yaml"]?.stringValue
        else { return nil }
        return try? YAMLReader.parse(text)
    }
}
