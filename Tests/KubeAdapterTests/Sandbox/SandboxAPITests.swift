import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// The sandbox's HTTP layer called directly (no sockets): status codes and bodies.
@Suite struct SandboxAPITests {
    let store = InMemoryStore(historyLimit: 3)
    var api: SandboxAPI { SandboxAPI(store: store) }

    func call(_ method: String, _ target: String, _ body: String? = nil, contentType: String = "application/json") -> (Int, Value) {
        let r = api.handle(HTTPRequest(method: method, target: target, headers: [("Content-Type", contentType)], body: Array((body ?? "").utf8)))
        guard case .bytes(let b) = r.body else { return (r.status, .null) }
        return (r.status, (try? JSONReader.parse(bytes: b)) ?? .null)
    }

    let cms = "/api/v1/namespaces/default/configmaps"

    @Test func badInputGivesStatusObjects() {
        #expect(call("POST", cms, "{not json").0 == 422)
        let (code, wrong) = call("POST", cms, #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#)
        #expect(code == 422)
        #expect(wrong["kind"] == "Status")
        #expect(call("POST", cms, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#).0 == 422)
        #expect(call("GET", "/apis/nope/v1/things").0 == 404)
        #expect(call("GET", "/openapi/v3").0 == 404)
        #expect(call("GET", cms + "?labelSelector=a%20b").0 == 422)
        #expect(call("DELETE", cms).0 == 405)
        #expect(call("PATCH", cms + "/x", "{}", contentType: "application/json-patch+json").0 == 415)
    }

    @Test func optimisticConcurrencyAndStatusSubresource() throws {
        let mcp = "/apis/toolhive.stacklok.dev/v1alpha1/namespaces/default/mcpservers"
        let (c, created) = call("POST", mcp, #"{"apiVersion":"toolhive.stacklok.dev/v1alpha1","kind":"MCPServer","metadata":{"name":"s"},"spec":{"image":"a"},"status":{"phase":"Fake"}}"#)
        #expect(c == 201)
        // Status given at create is dropped for kinds with a status subresource.
        #expect(created.objectValue?.contains("status") == false)
        #expect(created["apiVersion"] == "toolhive.stacklok.dev/v1alpha1")
        let rv = created[path: "metadata.resourceVersion"]?.stringValue ?? ""
        // Stale resourceVersion → 409.
        let stale = call("PUT", mcp + "/s", #"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServer","metadata":{"name":"s","resourceVersion":"1"},"spec":{"image":"b"}}"#)
        #expect(stale.0 == 409)
        #expect(stale.1["reason"] == "Conflict")
        // Status write leaves spec and generation alone; spec write bumps generation and keeps status.
        let st = call("PATCH", mcp + "/s/status", #"{"status":{"phase":"Ready"}}"#, contentType: "application/merge-patch+json")
        #expect(st.0 == 200)
        #expect(st.1[path: "metadata.generation"] == 1)
        let up = call("PUT", mcp + "/s", #"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServer","metadata":{"name":"s"},"spec":{"image":"b"}}"#)
        #expect(up.0 == 200)
        #expect(up.1[path: "metadata.generation"] == 2)
        #expect(up.1[path: "status.phase"] == "Ready")
        #expect(up.1[path: "metadata.resourceVersion"]?.stringValue != rv)
        // Read back in the other served version.
        let beta = call("GET", "/apis/toolhive.stacklok.dev/v1beta1/namespaces/default/mcpservers/s")
        #expect(beta.1["apiVersion"] == "toolhive.stacklok.dev/v1beta1")
    }

    @Test func tooOldWatchIsGone() throws {
        for n in 0..<5 {
            _ = call("POST", cms, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c\#(n)"}}"#)
        }
        #expect(throws: StoreError.self) { _ = try store.events(after: 1, waitSeconds: 0) }
        let recent = try store.events(after: store.currentResourceVersion - 1, waitSeconds: 0)
        #expect(recent.count == 1)
        #expect(recent.first?.object.name == "c4")
    }

    @Test func deletionWithFinalizersAndGarbageCollection() throws {
        var owner = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "owner")
        owner.finalizers = ["f"]
        let o = try store.create(owner)
        var child = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "child")
        child.ownerReferences = [OwnerReference(controllerOf: o)]
        _ = try store.create(child)
        let marked = try store.delete(o.key, preconditionResourceVersion: nil)
        #expect(marked.deletionTimestamp != nil)
        #expect((try? store.get(child.key)) != nil)
        var cleared = try store.get(o.key)
        cleared.finalizers = []
        _ = try store.update(cleared, subresource: .main)
        #expect(throws: StoreError.notFound(o.key)) { try store.get(o.key) }
        #expect(throws: StoreError.notFound(child.key)) { try store.get(child.key) }
    }
}
