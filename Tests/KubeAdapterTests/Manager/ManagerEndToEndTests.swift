import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// Polls `check` until it holds or `seconds` pass (bounded: end-to-end tests never hang).
func eventually(_ seconds: Double = 60, _ check: @Sendable () async -> Bool) async -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if await check() { return true }
        try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return await check()
}

func isMissing(_ client: APIClient, _ key: ObjectKey) async -> Bool {
    do {
        _ = try await client.get(key)
        return false
    } catch {
        return error.isNotFound
    }
}

@Suite(.serialized) struct ManagerEndToEndTests {
    static let curlMissing = CurlTransport.unavailableReason()

    func group(_ name: String) -> KubeObject {
        var g = KubeObject(apiVersion: "toolhive.stacklok.dev/v1alpha1", kind: "MCPGroup", namespace: "default", name: name)
        g.spec = ["description": "team tools"]
        return g
    }

    /// Starts `runManager` against the sandbox with leader election; returns the stop trigger and the run task.
    func startManager(_ sandbox: SandboxServer, namespaces: [String] = []) -> (Flag, Task<String?, Never>) {
        var options = ManagerOptions()
        options.connection = ClusterConnection(server: sandbox.url, noProxy: "127.0.0.1")
        options.controllers = ControllerSet([GroupMarker()])
        options.probeAddress = nil
        options.leaderElection = true
        options.leaseNamespace = "default"
        options.identity = "test-manager"
        options.handleSignals = false
        options.namespaces = namespaces
        options.environment = [:]
        options.logFormat = .json
        let stop = Flag()
        let run = Task { () -> String? in
            do {
                try await runManager(options: options, until: {
                    while !stop.isSet { try? await Task.sleep(nanoseconds: 20_000_000) }
                })
                return nil
            } catch let e as ManagerError {
                return e.description
            } catch {
                return "\(error)"
            }
        }
        return (stop, run)
    }

    @Test(.enabled(if: curlMissing == nil, "libcurl not loadable"))
    func groupBecomesReadyThenFinalizerPathOnDelete() async throws {
        let sandbox = SandboxServer(port: 0) { $0.maxWatchSeconds = 30 }
        try sandbox.start()
        defer { sandbox.stop() }
        let client = APIClient(transport: CurlTransport(connection: ClusterConnection(server: sandbox.url, noProxy: "127.0.0.1")))
        _ = try await client.create(group("team"))
        let (stop, run) = startManager(sandbox)

        let key = ObjectKey(Kinds.mcpGroup, namespace: "default", name: "team")
        let marker = ObjectKey(Kinds.configMap, namespace: "default", name: "team-marker")
        let ready = await eventually {
            guard let g = try? await client.get(key) else { return false }
            return g.condition("Ready")?.status == .true && g.finalizers == [GroupMarker.finalizer]
        }
        #expect(ready)
        let cm = try await client.get(marker)
        #expect(cm.controllerOwner?.name == "team")
        #expect(cm.root["data"] == ["group": "team"])

        // The lease is held by this manager.
        let lease = try await client.get(ObjectKey(Kinds.lease, namespace: "default", name: "toolhive-operator-leader-election"))
        #expect(lease.spec["holderIdentity"] == "test-manager")

        // Settled: an idle period sends no writes (the store's resourceVersion stays put, apart
        // from lease renewals, which are excluded by looking at other kinds).
        let settled = await eventually {
            let before = sandbox.store.currentResourceVersion
            try? await Task.sleep(nanoseconds: 300_000_000)
            return sandbox.store.currentResourceVersion == before
        }
        #expect(settled)
        let rvGroup = try await client.get(key).resourceVersion
        try await Task.sleep(nanoseconds: 1_000_000_000)
        #expect(try await client.get(key).resourceVersion == rvGroup)

        // kubectl sees it Ready too.
        if let kubectl = ProcessRunner.which("kubectl") {
            let dir = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let cfg = dir.appendingPathComponent("kubeconfig").path
            try #"{"apiVersion":"v1","kind":"Config","current-context":"s","clusters":[{"name":"s","cluster":{"server":"\#(sandbox.url)"}}],"contexts":[{"name":"s","context":{"cluster":"s"}}]}"#
                .write(toFile: cfg, atomically: true, encoding: .utf8)
            let r = await ProcessRunner.run(kubectl, ["--kubeconfig", cfg, "--cache-dir", dir.path + "/cache", "wait", "--for=condition=Ready", "mcpgroup/team", "--timeout=10s"],
                                      environment: ["HOME": dir.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"], timeout: 20)
            #expect(r.status == 0, "\(r.stderr)")
        }

        // Deleting the group: the controller removes its finalizer, the group goes, the marker is collected.
        try await client.delete(key)
        let gone = await eventually {
            await isMissing(client, key)
        }
        #expect(gone)
        let collected = await eventually {
            await isMissing(client, marker)
        }
        #expect(collected)

        stop.set()
        #expect(await run.value == nil)
        // Released on shutdown.
        let released = try await client.get(ObjectKey(Kinds.lease, namespace: "default", name: "toolhive-operator-leader-election"))
        #expect(released.spec["holderIdentity"] == "")
    }

    @Test(.enabled(if: curlMissing == nil, "libcurl not loadable"))
    func namespaceScopingIgnoresOtherNamespaces() async throws {
        let sandbox = SandboxServer(port: 0) { $0.maxWatchSeconds = 30 }
        try sandbox.start()
        defer { sandbox.stop() }
        let client = APIClient(transport: CurlTransport(connection: ClusterConnection(server: sandbox.url, noProxy: "127.0.0.1")))
        var other = group("elsewhere")
        other.setMeta("namespace", "other")
        _ = try await client.create(other)
        _ = try await client.create(group("here"))
        let (stop, run) = startManager(sandbox, namespaces: ["default"])
        let ready = await eventually {
            (try? await client.get(ObjectKey(Kinds.mcpGroup, namespace: "default", name: "here")))?.condition("Ready")?.status == .true
        }
        #expect(ready)
        let untouched = try await client.get(ObjectKey(Kinds.mcpGroup, namespace: "other", name: "elsewhere"))
        #expect(untouched.finalizers.isEmpty)
        #expect(untouched.status.isNull)
        stop.set()
        #expect(await run.value == nil)
    }
}
