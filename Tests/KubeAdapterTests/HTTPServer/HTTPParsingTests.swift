import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct HTTPParsingTests {
    func parse(_ s: String) -> HTTPRequestParser.Outcome { HTTPRequestParser.parse(Array(s.utf8)) }

    @Test func contentLengthBodyAndPipelining() {
        let two = "POST /api/v1/namespaces/default/configmaps?dryRun=All HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Type: application/json\r\n\r\n{\"a\"GET /version HTTP/1.1\r\n\r\n"
        guard case .request(let r, let used) = parse(two) else { Issue.record("not parsed"); return }
        #expect(r.method == "POST")
        #expect(r.path == "/api/v1/namespaces/default/configmaps")
        #expect(r.query == ["dryRun": "All"])
        #expect(r.header("content-type") == "application/json")
        #expect(r.body == Array("{\"a\"".utf8))
        guard case .request(let next, _) = HTTPRequestParser.parse(Array(Array(two.utf8)[used...])) else { Issue.record("second not parsed"); return }
        #expect(next.path == "/version")
    }

    @Test func incompleteUntilTheBodyArrives() {
        if case .incomplete = parse("GET / HTTP/1.1\r\nHost: x\r\n") {} else { Issue.record("headers unfinished") }
        if case .incomplete = parse("PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345") {} else { Issue.record("body unfinished") }
    }

    @Test func chunkedBodies() {
        let text = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
        guard case .request(let r, let used) = parse(text + "GET") else {
            Issue.record("not parsed"); return
        }
        #expect(r.body == Array("abcde".utf8))
        #expect(used == text.utf8.count)
        if case .incomplete = parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab") {} else { Issue.record("partial chunk") }
    }

    @Test func malformedRequestsAreRejected() {
        if case .invalid(let s, _) = parse("NONSENSE\r\n\r\n") { #expect(s == 400) } else { Issue.record("accepted") }
        if case .invalid(let s, _) = parse("GET / HTTP/1.1\r\nBroken header\r\n\r\n") { #expect(s == 400) } else { Issue.record("accepted") }
        if case .invalid(let s, _) = parse("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") { #expect(s == 400) } else { Issue.record("accepted") }
        if case .invalid(let s, _) = parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") { #expect(s == 400) } else { Issue.record("accepted") }
    }

    @Test func percentDecoding() {
        let r = HTTPRequest(method: "GET", target: "/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&x")
        #expect(r.query["labelSelector"] == "app=web,tier in (a,b)")
        #expect(r.query["x"] == "")
        #expect(PercentEncoding.pathSegment("a b/c") == "a%20b%2Fc")
    }

    @Test func routing() {
        let c = ResourceCatalog.standard
        #expect(APIPath.parse("/api", catalog: c) == .coreVersions)
        #expect(APIPath.parse("/apis/apps/v1", catalog: c) == .resourceList(group: "apps", version: "v1"))
        guard case .resource(let a) = APIPath.parse("/apis/toolhive.stacklok.dev/v1alpha1/namespaces/ns/mcpservers/s/status", catalog: c) else {
            Issue.record("not a resource"); return
        }
        #expect(a.type.kind == "MCPServer")
        #expect(a.version == "v1alpha1")
        #expect(a.namespace == "ns")
        #expect(a.name == "s")
        #expect(a.subresource == .status)
        guard case .resource(let ns) = APIPath.parse("/api/v1/namespaces/kube-system", catalog: c) else { Issue.record("namespace"); return }
        #expect(ns.type.kind == "Namespace" && ns.name == "kube-system" && ns.namespace == nil)
        guard case .resource(let all) = APIPath.parse("/api/v1/pods", catalog: c) else { Issue.record("pods"); return }
        #expect(all.namespace == nil && all.name == nil)
        #expect(APIPath.parse("/apis/toolhive.stacklok.dev/v2/mcpservers", catalog: c) == .unknown)
        #expect(APIPath.parse("/api/v1/namespaces/ns/pods/p/exec", catalog: c) == .unknown)
        #expect(APIPath.parse("/openapi/v2", catalog: c) == .unknown)
    }

    @Test func selectors() throws {
        let s = try LabelSelector.parse("app=web, tier in (a, b),!legacy,env!=prod,team").get()
        #expect(s.matches(["app": "web", "tier": "b", "env": "dev", "team": "x"]))
        #expect(!s.matches(["app": "web", "tier": "c", "team": "x"]))
        #expect(!s.matches(["app": "web", "tier": "a", "team": "x", "legacy": "1"]))
        #expect(!s.matches(["app": "web", "tier": "a", "env": "prod", "team": "x"]))
        #expect(try LabelSelector.parse("x notin (1)").get().matches([:]))
        #expect((try? LabelSelector.parse("a b").get()) == nil)
        let f = try FieldSelector.parse("metadata.name=fetch,metadata.namespace!=kube-system").get()
        var o = KubeObject(apiVersion: "v1", kind: "Pod", namespace: "default", name: "fetch")
        #expect(f.matches(o))
        o.setMeta("namespace", "kube-system")
        #expect(!f.matches(o))
        #expect((try? FieldSelector.parse("spec.nodeName=x").get()) == nil)
    }

    @Test func probeEndpoints() {
        let ready = Flag()
        let p = ProbeEndpoints(metrics: Metrics(), ready: ready)
        #expect(p.handle(HTTPRequest(method: "GET", target: "/healthz")).status == 200)
        #expect(p.handle(HTTPRequest(method: "GET", target: "/readyz")).status == 503)
        ready.set()
        #expect(p.handle(HTTPRequest(method: "GET", target: "/readyz")).status == 200)
        let m = p.handle(HTTPRequest(method: "GET", target: "/metrics"))
        guard case .bytes(let body) = m.body else { Issue.record("not bytes"); return }
        #expect(String(decoding: body, as: UTF8.self).contains("workqueue_depth{name=\"toolhive-operator\"} 0"))
        #expect(ProbeEndpoints.parseAddress(":8081")! == ("0.0.0.0", 8081))
        #expect(ProbeEndpoints.parseAddress("127.0.0.1:0")! == ("127.0.0.1", 0))
        #expect(ProbeEndpoints.parseAddress("nonsense") == nil)
    }

    @Test func serverRefusesNonLoopback() {
        let s = HTTPServer(host: "0.0.0.0", port: 0) { _ in .text(200, "") }
        #expect(throws: HTTPServerError.self) { try s.start() }
    }
}
