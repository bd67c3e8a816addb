import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// The real kubectl against the sandbox over HTTP: the sandbox is "good enough" when these pass.
/// The sandbox serves no OpenAPI documents (404, like a server with them disabled), so `create`
/// runs with `--validate=false`; `operatorctl validate` is the schema check.
@Suite(.serialized) struct SandboxKubectlTests {
    static let kubectl = ProcessRunner.which("kubectl")

    struct Harness {
        let sandbox: SandboxServer
        let dir: URL
        let kubeconfig: String

        init(assumeReady: Bool = false) throws {
            sandbox = SandboxServer(port: 0, assumeReady: assumeReady) { $0.maxWatchSeconds = 20 }
            try sandbox.start()
            dir = try makeTemporaryDirectory()
            kubeconfig = dir.appendingPathComponent("kubeconfig").path
            let config = """
                {"apiVersion": "v1", "kind": "Config", "current-context": "sandbox",
                 "clusters": [{"name": "sandbox", "cluster": {"server": "\(sandbox.url)"}}],
                 "users": [{"name": "dev", "user": {"token": "not-checked"}}],
                 "contexts": [{"name": "sandbox", "context": {"cluster": "sandbox", "user": "dev", "namespace": "default"}}]}
                """
            try config.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        }

        func kubectl(_ args: [String], timeout: TimeInterval = 30) async -> ProcessRunner.Output {
            var env = ProcessInfo.processInfo.environment
            env["KUBECONFIG"] = kubeconfig
            env["HOME"] = dir.path
            return await ProcessRunner.run(SandboxKubectlTests.kubectl ?? "/usr/bin/kubectl",
                                     ["--cache-dir", dir.appendingPathComponent("cache").path, "--request-timeout", "20s"] + args,
                                     environment: env, timeout: timeout)
        }

        func write(_ name: String, _ text: String) throws -> String {
            let p = dir.appendingPathComponent(name).path
            try text.write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }

        func close() {
            sandbox.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    static let manifest = """
        apiVersion: toolhive.stacklok.dev/v1alpha1
        kind: MCPServer
        metadata:
          name: fetch
          labels:
            app: demo
        spec:
          image: ghcr.io/stackloklabs/gofetch/server
          transport: streamable-http
          proxyPort: 8080
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          a: "1"
        """

    /// `kubectl create namespace|configmap|secret|serviceaccount` send protobuf bodies.
    @Test(.enabled(if: kubectl != nil, "kubectl not installed"))
    func typedCreateSubcommandsWork() async throws {
        let h = try Harness()
        defer { h.close() }
        let ns = await h.kubectl(["create", "namespace", "x"])
        #expect(ns.status == 0, "\(ns.stderr)")
        let cm = await h.kubectl(["create", "configmap", "cm", "-n", "x", "--from-literal=a=b"])
        #expect(cm.status == 0, "\(cm.stderr)")
        let secret = await h.kubectl(["create", "secret", "generic", "s", "-n", "x", "--from-literal=pw=hunter2"])
        #expect(secret.status == 0, "\(secret.stderr)")
        let sa = await h.kubectl(["create", "serviceaccount", "sa", "-n", "x"])
        #expect(sa.status == 0, "\(sa.stderr)")
        let data = await h.kubectl(["get", "configmap", "cm", "-n", "x", "-o", "jsonpath={.data.a}"])
        #expect(data.stdout == "b", "\(data.stderr)")
        let pw = await h.kubectl(["get", "secret", "s", "-n", "x", "-o", "jsonpath={.data.pw}"])
        #expect(pw.stdout == "aHVudGVyMg==", "\(pw.stderr)")
        #expect(await h.kubectl(["get", "namespace", "x"]).status == 0)
    }

    @Test(.enabled(if: kubectl != nil, "kubectl not installed"))
    func createGetWaitDelete() async throws {
        let h = try Harness()
        defer { h.close() }
        let file = try h.write("objects.yaml", Self.manifest)

        let created = await h.kubectl(["create", "--validate=false", "-f", file])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("mcpserver.toolhive.stacklok.dev/fetch created"))
        #expect(created.stdout.contains("configmap/settings created"))

        let again = await h.kubectl(["create", "--validate=false", "-f", file])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))

        let got = await h.kubectl(["get", "mcpservers", "-o", "json"])
        #expect(got.status == 0, "\(got.stderr)")
        let list = try JSONReader.parse(got.stdout)
        #expect(list["items"]?.arrayValue?.count == 1)
        #expect(list["items"]?.arrayValue?.first?[path: "metadata.name"] == "fetch")
        #expect(list["items"]?.arrayValue?.first?[path: "metadata.generation"] == 1)

        let selected = await h.kubectl(["get", "mcpservers", "-l", "app=demo", "-o", "name"])
        #expect(selected.stdout == "mcpserver.toolhive.stacklok.dev/fetch\n", "\(selected.stderr)")
        let none = await h.kubectl(["get", "mcpservers", "-l", "app!=demo", "-o", "name"])
        #expect(none.status == 0 && none.stdout.isEmpty, "\(none.stderr)")
        let byName = await h.kubectl(["get", "mcpserver/fetch", "-o", "jsonpath={.spec.proxyPort}"])
        #expect(byName.stdout == "8080", "\(byName.stderr)")

        // Not Ready yet: a short wait times out.
        let early = await h.kubectl(["wait", "--for=condition=Ready", "mcpserver/fetch", "--timeout=1s"])
        #expect(early.status != 0)

        // Something (the operator, here a status patch) makes it Ready; a waiting kubectl sees it.
        let patched = await h.kubectl(["patch", "mcpserver", "fetch", "--subresource=status", "--type=merge", "-p",
                                 #"{"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"#])
        #expect(patched.status == 0, "\(patched.stderr)")
        let waited = await h.kubectl(["wait", "--for=condition=Ready", "mcpserver/fetch", "--timeout=10s"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(waited.stdout.contains("condition met"))

        let deleted = await h.kubectl(["delete", "-f", file, "--timeout=10s"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let gone = await h.kubectl(["get", "mcpserver", "fetch"])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("NotFound") || gone.stderr.contains("not found"))
    }

    @Test(.enabled(if: kubectl != nil, "kubectl not installed"))
    func serverSideApplyCreatesThenUpdates() async throws {
        let h = try Harness()
        defer { h.close() }
        let v1 = try h.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"1\"\n")
        let first = await h.kubectl(["apply", "--server-side", "--validate=false", "-f", v1])
        #expect(first.status == 0, "\(first.stderr)")
        let v2 = try h.write("cm2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"2\"\n  b: \"3\"\n")
        let second = await h.kubectl(["apply", "--server-side", "--validate=false", "-f", v2])
        #expect(second.status == 0, "\(second.stderr)")
        let got = await h.kubectl(["get", "configmap", "ssa", "-o", "jsonpath={.data.a},{.data.b}"])
        #expect(got.stdout == "2,3", "\(got.stderr)")
    }

    @Test(.enabled(if: kubectl != nil, "kubectl not installed"))
    func finalizerHoldsDeletionUntilRemoved() async throws {
        let h = try Harness()
        defer { h.close() }
        let file = try h.write("group.yaml", """
            apiVersion: toolhive.stacklok.dev/v1beta1
            kind: MCPGroup
            metadata:
              name: team
              finalizers: ["toolhive.stacklok.dev/mcpgroup-finalizer"]
            spec: {}
            """)
        #expect(await h.kubectl(["create", "--validate=false", "-f", file]).status == 0)
        let del = await h.kubectl(["delete", "mcpgroup", "team", "--wait=false"])
        #expect(del.status == 0, "\(del.stderr)")
        let marked = await h.kubectl(["get", "mcpg", "team", "-o", "jsonpath={.metadata.deletionTimestamp}"])
        #expect(!marked.stdout.isEmpty, "\(marked.stderr)")
        let removed = await h.kubectl(["patch", "mcpgroup", "team", "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(await h.kubectl(["get", "mcpgroup", "team"]).status != 0)
    }
}
