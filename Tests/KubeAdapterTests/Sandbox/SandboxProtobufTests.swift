import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// kubectl's typed clients (`kubectl create namespace`, `create configmap`, ...) send protobuf
/// request bodies; the sandbox reads them for the kinds they use.
@Suite struct SandboxProtobufTests {
    // A minimal protobuf writer: length-delimited fields and varints.
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }
    static func field(_ n: UInt64, _ bytes: [UInt8]) -> [UInt8] { varint(n << 3 | 2) + varint(UInt64(bytes.count)) + bytes }
    static func field(_ n: UInt64, _ s: String) -> [UInt8] { field(n, Array(s.utf8)) }
    static func flag(_ n: UInt64, _ v: UInt64) -> [UInt8] { varint(n << 3) + varint(v) }
    static func entry(_ n: UInt64, _ k: String, _ v: String) -> [UInt8] { field(n, field(1, k) + field(2, v)) }
    static func envelope(apiVersion: String, kind: String, _ raw: [UInt8]) -> [UInt8] {
        Array("k8s".utf8) + [0] + field(1, field(1, apiVersion) + field(2, kind)) + field(2, raw) + field(3, "") + field(4, "")
    }

    func post(_ api: SandboxAPI, _ target: String, _ body: [UInt8]) -> (Int, Value) {
        let r = api.handle(HTTPRequest(method: "POST", target: target, headers: [("Content-Type", ProtobufBody.mediaType)], body: body))
        guard case .bytes(let b) = r.body else { return (r.status, .null) }
        return (r.status, (try? JSONReader.parse(bytes: b)) ?? .null)
    }

    @Test func configMapAndNamespaceFromProtobuf() throws {
        let store = InMemoryStore()
        let api = SandboxAPI(store: store)
        // ObjectMeta: name, generateName "" (protobuf writes empty optionals), label, unknown field 8 (a timestamp message).
        let meta = Self.field(1, "cm") + Self.field(2, "") + Self.entry(11, "app", "demo") + Self.field(8, Self.flag(1, 0))
        let cm = Self.field(1, meta) + Self.entry(2, "a", "b") + Self.field(3, Self.field(1, "bin") + Self.field(2, [0xFF, 0x00])) + Self.flag(4, 1)
        let (code, created) = post(api, "/api/v1/namespaces/default/configmaps", Self.envelope(apiVersion: "v1", kind: "ConfigMap", cm))
        #expect(code == 201, "\(created)")
        let stored = try store.get(ObjectKey(GroupKind(group: "", kind: "ConfigMap"), namespace: "default", name: "cm"))
        #expect(stored.root["data"] == ["a": "b"])
        #expect(stored.root["binaryData"] == ["bin": "/wA="])
        #expect(stored.root["immutable"] == true)
        #expect(stored.labels == ["app": "demo"])
        #expect(stored.metadata["generateName"] == nil)

        let ns = Self.field(1, Self.field(1, "x")) + Self.field(2, Self.field(1, "kubernetes"))
        let (nsCode, nsBody) = post(api, "/api/v1/namespaces", Self.envelope(apiVersion: "v1", kind: "Namespace", ns))
        #expect(nsCode == 201, "\(nsBody)")
        #expect(nsBody[path: "spec.finalizers"] == ["kubernetes"])
    }

    @Test func unreadableOrUnsupportedProtobufIs415() {
        let api = SandboxAPI(store: InMemoryStore())
        let deployments = "/apis/apps/v1/namespaces/default/deployments"
        let (code, body) = post(api, deployments, Self.envelope(apiVersion: "apps/v1", kind: "Deployment", Self.field(1, Self.field(1, "web"))))
        #expect(code == 415)
        #expect(body["reason"] == "UnsupportedMediaType")
        #expect(body["message"]?.stringValue?.contains("kubectl create -f") == true)
        // No envelope, truncated fields, bad wire types: 415, never a crash.
        let cms = "/api/v1/namespaces/default/configmaps"
        // The envelope up to the end of `raw` (fields 3 and 4 are optional): every shorter prefix fails.
        let good = Array(Self.envelope(apiVersion: "v1", kind: "ConfigMap", Self.field(1, Self.field(1, "cm"))).dropLast(4))
        #expect(post(api, cms, Array("{}".utf8)).0 == 415)
        for cut in 0..<good.count { #expect(post(api, cms, Array(good[0..<cut])).0 != 201, "prefix \(cut)") }
        #expect(post(api, cms, good).0 == 201)
        #expect(post(api, cms, Array("k8s".utf8) + [0, 0x0F]).0 == 415)
        #expect(post(api, cms, Array("k8s".utf8) + [0, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).0 == 415)
    }
}
