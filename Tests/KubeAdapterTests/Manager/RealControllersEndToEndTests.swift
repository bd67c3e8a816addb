import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// `runManager` with the project's real controllers (`ControllerSet.all`) against the sandbox,
/// driven and observed with kubectl as a user would.
@Suite(.serialized) struct RealControllersEndToEndTests {
    static let ready = CurlTransport.unavailableReason() == nil && ProcessRunner.which("kubectl") != nil

    @Test(.enabled(if: ready, "needs libcurl and kubectl"))
    func groupAndServerThroughKubectl() async throws {
        let h = try SandboxKubectlTests.Harness()
        defer { h.close() }
        let file = try h.write("objects.yaml", """
            apiVersion: toolhive.stacklok.dev/v1alpha1
            kind: MCPGroup
            metadata:
              name: team
            spec:
              description: shared tools
            ---
            apiVersion: toolhive.stacklok.dev/v1alpha1
            kind: MCPServer
            metadata:
              name: fetch
            spec:
              image: ghcr.io/stackloklabs/gofetch/server
              transport: streamable-http
              proxyPort: 8080
              mcpPort: 8080
              groupRef: team
            """)
        let created = await h.kubectl(["create", "--validate=false", "-f", file])
        #expect(created.status == 0, "\(created.stderr)")

        let (stop, run) = Self.startManager(against: h)

        let waited = await h.kubectl(["wait", "--for=jsonpath={.status.phase}=Ready", "mcpgroup/team", "--timeout=90s"], timeout: 100)
        #expect(waited.status == 0, "\(waited.stderr)")
        let members = await h.kubectl(["get", "mcpgroup", "team", "-o", "jsonpath={.status.servers}"])
        #expect(members.stdout.contains("fetch"), "\(members.stdout) \(members.stderr)")
        let finalizers = await h.kubectl(["get", "mcpgroup", "team", "-o", "jsonpath={.metadata.finalizers}"])
        #expect(!finalizers.stdout.isEmpty)
        // The MCPServer controller (queued after the group) creates its proxy Deployment, owned by the server.
        let owned = await eventually(90) {
            let d = await h.kubectl(["get", "deployments", "-o", "jsonpath={.items[*].metadata.ownerReferences[0].name}"])
            return d.stdout.split(separator: " ").contains("fetch")
        }
        #expect(owned)

        // Deleting the group runs the finalizer path: the group disappears.
        let deleted = await h.kubectl(["delete", "mcpgroup", "team", "--timeout=90s"], timeout: 100)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(await h.kubectl(["get", "mcpgroup", "team"]).status != 0)

        stop.set()
        #expect(await run.value)
    }
    /// With `--assume-ready` the sandbox plays kubelet and the proxy runner, so an MCPServer goes
    /// all the way to Ready: proxy Deployment → ready Pod → runner's StatefulSet and Services.
    @Test(.enabled(if: ready, "needs libcurl and kubectl"))
    func serverBecomesReadyWithAssumeReady() async throws {
        let h = try SandboxKubectlTests.Harness(assumeReady: true)
        defer { h.close() }
        let file = try h.write("server.yaml", """
            apiVersion: toolhive.stacklok.dev/v1alpha1
            kind: MCPServer
            metadata:
              name: fetch
            spec:
              image: ghcr.io/stackloklabs/gofetch/server
              transport: streamable-http
              proxyPort: 8080
              mcpPort: 8080
            """)
        let created = await h.kubectl(["create", "--validate=false", "-f", file])
        #expect(created.status == 0, "\(created.stderr)")

        let (stop, run) = Self.startManager(against: h)

        let waited = await h.kubectl(["wait", "--for=condition=Ready", "mcpserver/fetch", "--timeout=60s"], timeout: 70)
        #expect(waited.status == 0, "\(waited.stdout) \(waited.stderr)")
        let phase = await h.kubectl(["get", "mcpserver", "fetch", "-o", "jsonpath={.status.phase}"])
        #expect(phase.stdout == "Ready", "\(phase.stdout) \(phase.stderr)")
        // What the world rules made, seen through the API: the runner's StatefulSet and Service.
        let sts = await h.kubectl(["get", "statefulset", "fetch", "-o", "jsonpath={.status.readyReplicas}"])
        #expect(sts.stdout == "1", "\(sts.stdout) \(sts.stderr)")
        // The runner creates its Services one tick after the StatefulSet exists, which can be just
        // after the server turned Ready: wait a bounded while for the Service and its address.
        var svc = await h.kubectl(["get", "service", "mcp-fetch", "-o", "jsonpath={.spec.clusterIP}"])
        for _ in 0..<40 where !svc.stdout.hasPrefix("10.96.") {
            try await Task.sleep(nanoseconds: 250_000_000)
            svc = await h.kubectl(["get", "service", "mcp-fetch", "-o", "jsonpath={.spec.clusterIP}"])
        }
        #expect(svc.stdout.hasPrefix("10.96."), "\(svc.stdout) \(svc.stderr)")

        // Settled: an idle minute sends no writes. First wait (bounded) until 2 s pass without any
        // change in the store, then count every write for 60 s: operator and world rules alike.
        var settledAt = h.sandbox.store.currentResourceVersion
        for _ in 0..<15 {
            try await Task.sleep(nanoseconds: 2_000_000_000)
            let current = h.sandbox.store.currentResourceVersion
            if current == settledAt { break }
            settledAt = current
        }
        try await Task.sleep(nanoseconds: 60_000_000_000)
        let writes = (try? h.sandbox.store.events(after: settledAt, waitSeconds: 0)) ?? []
        #expect(writes.isEmpty, "writes during the idle minute: \(writes.map { "\($0.type.rawValue) \($0.object.key)" })")

        stop.set()
        #expect(await run.value)
    }

    /// Runs the real controllers (`ControllerSet.all`) against the harness's sandbox until `stop` is set.
    static func startManager(against h: SandboxKubectlTests.Harness) -> (Flag, Task<Bool, Never>) {
        var options = ManagerOptions()
        options.connection = ClusterConnection(server: h.sandbox.url, noProxy: "127.0.0.1")
        options.probeAddress = nil
        options.environment = [:]
        options.logFormat = .json
        let stop = Flag()
        let finalOptions = options
        let run = Task { () -> Bool in
            do {
                try await runManager(options: finalOptions, until: { while !stop.isSet { try? await Task.sleep(nanoseconds: 20_000_000) } })
                return true
            } catch { return false }
        }
        return (stop, run)
    }
}
