import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct PlanApplierTests {
    let primary = ObjectReference(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPServer", namespace: "default", name: "fetch")

    func observed() -> Snapshot {
        var s = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPServer", namespace: "default", name: "fetch")
        s.uid = "uid-1"
        s.resourceVersion = "41"
        s.finalizers = ["keep"]
        s.status = ["phase": "Pending", "message": "waiting", "url": "x"]
        return Snapshot([s])
    }

    /// Answers like a server would: an apply returns the body, a merge patch returns the observed
    /// primary with the patch applied; the resourceVersion becomes 42.
    static func echo(_ r: APIRequest) -> APIResponse {
        if r.method == "DELETE" { return FakeTransport.json(200, "{}") }
        var v = (try? JSONReader.parse(bytes: r.body ?? [])) ?? [:]
        if v["kind"] == nil {
            let base = PlanApplierTests().observed().allObjects.first?.value ?? [:]
            v = JSONMergePatch.apply(v, to: base)
        }
        v.set(path: ["metadata", "resourceVersion"], to: "42")
        return APIResponse(status: 200, body: Array(JSONWriter.write(v, pretty: false).utf8))
    }

    func applier(_ t: FakeTransport) -> PlanApplier {
        PlanApplier(client: APIClient(transport: t), instance: "pod-1", clock: { WallTime(seconds: 1_767_225_600, nanoseconds: 123_456_000) })
    }

    @Test func emptyPlanSendsNothing() async {
        let t = FakeTransport(Self.echo)
        let outcome = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary), observed: observed())
        #expect(outcome == .applied(written: [], eventErrors: []))
        #expect(t.requests.isEmpty)
    }

    @Test func serverSideApplyRequestShape() async throws {
        let t = FakeTransport(Self.echo)
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "fetch")
        d.resourceVersion = "7"
        d.spec = ["replicas": 1]
        d.status = ["readyReplicas": 1]
        let outcome = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: [.apply(d)]), observed: observed())
        guard case .applied(let written, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(written.count == 1)
        let r = try #require(t.requests.first)
        #expect(r.method == "PATCH")
        #expect(r.path == "/apis/apps/v1/namespaces/default/deployments/fetch?fieldManager=toolhive-operator&force=true")
        #expect(r.headers["Content-Type"] == "application/apply-patch+yaml")
        let body = try JSONReader.parse(bytes: r.body ?? [])
        #expect(body["spec"] == ["replicas": 1])
        #expect(body.objectValue?.contains("status") == false)
        #expect(body["metadata"]?.objectValue?.contains("resourceVersion") == false)
    }

    @Test func statusIsAMergePatchOnTheSubresourceWithPrecondition() async throws {
        let t = FakeTransport(Self.echo)
        let action = Action.patchStatus(primary, ["phase": "Ready", "url": "x"])
        _ = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: [action]), observed: observed())
        let r = try #require(t.requests.first)
        #expect(r.path == "/apis/toolhive.stacklok.dev/v1beta1/namespaces/default/mcpservers/fetch/status")
        #expect(r.headers["Content-Type"] == "application/merge-patch+json")
        let body = try JSONReader.parse(bytes: r.body ?? [])
        #expect(body == ["status": ["phase": "Ready", "message": nil], "metadata": ["resourceVersion": "41"]])
    }

    @Test func finalizersUseTheLatestResourceVersionWithinAPlan() async throws {
        let t = FakeTransport(Self.echo)
        let actions: [Action] = [
            .addFinalizer(primary, "keep"),  // already there: no request
            .addFinalizer(primary, "toolhive.stacklok.dev/finalizer"),
            .removeFinalizer(primary, "keep"),
            .removeFinalizer(primary, "never-there"),  // no request
        ]
        _ = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: actions), observed: observed())
        try #require(t.requests.count == 2)
        let first = try JSONReader.parse(bytes: t.requests[0].body ?? [])
        #expect(first == ["metadata": ["resourceVersion": "41", "finalizers": ["keep", "toolhive.stacklok.dev/finalizer"]]])
        #expect(t.requests[0].path == "/apis/toolhive.stacklok.dev/v1beta1/namespaces/default/mcpservers/fetch")
        // The second patch builds on the first one's answer (resourceVersion 42).
        let second = try JSONReader.parse(bytes: t.requests[1].body ?? [])
        #expect(second == ["metadata": ["resourceVersion": "42", "finalizers": ["toolhive.stacklok.dev/finalizer"]]])
    }

    @Test func deleteIsBackgroundAndToleratesNotFound() async throws {
        let t = FakeTransport { _ in FakeTransport.json(404, #"{"kind":"Status","reason":"NotFound","code":404}"#) }
        let ref = ObjectReference(apiVersion: "v1", kind: "Service", namespace: "default", name: "old")
        let outcome = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: [.delete(ref)]), observed: observed())
        #expect(outcome == .applied(written: [], eventErrors: []))
        let r = try #require(t.requests.first)
        #expect(r.method == "DELETE")
        #expect(r.path == "/api/v1/namespaces/default/services/old")
        #expect(try JSONReader.parse(bytes: r.body ?? [])["propagationPolicy"] == "Background")
    }

    @Test func conflictStopsThePlanAndRereads() async throws {
        let t = FakeTransport { r in
            if r.method == "GET" { return Self.echo(r) }
            return FakeTransport.json(409, #"{"kind":"Status","reason":"Conflict","message":"the object has been modified","code":409}"#)
        }
        let actions: [Action] = [.patchStatus(primary, ["phase": "Ready"]), .addFinalizer(primary, "f")]
        let outcome = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: actions), observed: observed())
        guard case .conflict(let key, let current, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(key == primary.key)
        #expect(current?.resourceVersion == "42")
        #expect(t.requests.map(\.method) == ["PATCH", "GET"])
    }

    @Test func otherErrorsFailWithTheAction() async {
        let t = FakeTransport { _ in FakeTransport.json(500, #"{"kind":"Status","reason":"InternalError","message":"etcd down","code":500}"#) }
        let outcome = await applier(t).apply(ReconcileResult(controller: "MCPServer", object: primary, actions: [.patchStatus(primary, ["phase": "Ready"])]), observed: observed())
        #expect(outcome == .failed("patchStatus MCPServer/default/fetch: 500 InternalError: etcd down", written: []))
    }

    @Test func eventsAreEventsV1AboutThePrimary() async throws {
        let t = FakeTransport(Self.echo)
        let result = ReconcileResult(controller: "MCPServer", object: primary, events: [Event(.warning, reason: "InvalidSpec", message: "bad port")])
        _ = await applier(t).apply(result, observed: observed())
        let r = try #require(t.requests.first)
        #expect(r.method == "POST")
        #expect(r.path == "/apis/events.k8s.io/v1/namespaces/default/events")
        let e = try JSONReader.parse(bytes: r.body ?? [])
        #expect(e["type"] == "Warning")
        #expect(e["reason"] == "InvalidSpec")
        #expect(e["note"] == "bad port")
        #expect(e["eventTime"] == "2026-01-01T00:00:00.123456Z")
        #expect(e["reportingController"] == "toolhive-operator")
        #expect(e["reportingInstance"] == "pod-1")
        #expect(e[path: "regarding.uid"] == "uid-1")
        #expect(e[path: "regarding.kind"] == "MCPServer")
        // client-go's name: the object's name and the event time in nanoseconds, in hex.
        #expect(e[path: "metadata.name"] == .string("fetch." + String(1_767_225_600_123_456_000 as UInt64, radix: 16)))
    }

    @Test func mergePatchDiff() {
        let a: Value = ["a": 1, "b": ["c": 2, "d": 3], "e": [1, 2]]
        let b: Value = ["b": ["c": 2, "d": 4], "e": [1], "f": "new"]
        let p = JSONMergePatch.diff(from: a, to: b)
        #expect(p == ["a": nil, "b": ["d": 4], "e": [1], "f": "new"])
        #expect(JSONMergePatch.apply(p, to: a) == b)
    }
}
