import Foundation
import Testing
@testable import ReconcileCore

/// `simulate` over every ToolHive MCPServer example (`../shared/toolhive-examples/mcp-servers`):
/// object names, label sets and ports must be the ones spec A §2.4 gives, computed here from the
/// example's own fields rather than through the builders.
@Suite struct MCPServerExamplesTests {
    static var examples: [URL] {
        guard let shared = TestPaths.shared else { return [] }
        return TestPaths.files(in: shared.appendingPathComponent("toolhive-examples/mcp-servers"), extensions: ["yaml"], recursive: false)
    }

    @Test(.enabled(if: TestPaths.shared != nil, "../shared is absent")) func examplesAreThere() {
        #expect(Self.examples.count >= 10)
    }

    @Test(arguments: examples)
    func exampleGivesSpecNamesLabelsAndPorts(_ file: URL) throws {
        let data = try #require(FileManager.default.contents(atPath: file.path))
        let objects = try SnapshotLoader().loadObjects([InputSource(path: file.path, bytes: Array(data))]).map(\.object)
        let plan = Simulator.simulate(Snapshot(objects), env: OperatorEnvironment())
        for server in objects where server.kind == "MCPServer" {
            let n = server.name
            let ns = server.namespace
            let result = try #require(plan.reconciles.first { $0.controller == "MCPServer" && $0.object.name == n && $0.object.namespace == ns })
            let l = ["app": "mcpserver", "app.kubernetes.io/name": "mcpserver", "app.kubernetes.io/instance": n, "toolhive": "true", "toolhive-name": n]
            let port = Value.int(server.spec["proxyPort"]?.intValue ?? 8080)
            let applied = result.actions.compactMap { a -> KubeObject? in if case .apply(let o) = a.operation { return o }; return nil }
            let status = result.actions.compactMap { a -> Value? in if case .patchStatus(_, let s) = a.operation { return s }; return nil }.last
            // An MCPOIDCConfig nobody has validated yet (its own controller sets Valid=True) stops the
            // pass before any owned object, as in Go (§2.5, fail-stale).
            if let oidc = server.spec[path: "oidcConfigRef.name"]?.stringValue,
                objects.first(where: { $0.kind == "MCPOIDCConfig" && $0.name == oidc })?.condition("Valid")?.status != .true
            {
                #expect(applied.isEmpty)
                #expect(status?["phase"] == "Failed")
                #expect(ConditionList(status: status ?? .null)["OIDCConfigRefValidated"]?.reason == "OIDCConfigRefNotValid")
                continue
            }
            var expectedNames = ["ServiceAccount/\(n)-proxy-runner", "Role/\(n)-proxy-runner", "RoleBinding/\(n)-proxy-runner", "ConfigMap/\(n)-runconfig", "Deployment/\(n)", "Service/mcp-\(n)-proxy"]
            if server.spec["serviceAccount"] == nil { expectedNames.insert("ServiceAccount/\(n)-sa", at: 3) }
            #expect(applied.map { "\($0.kind)/\($0.name)" } == expectedNames, "\(file.lastPathComponent)")
            for o in applied {
                #expect(o.namespace == ns)
                #expect(o.ownerReferences.first?.name == n && o.ownerReferences.first?.controller == true)
            }
            let deployment = try #require(applied.first { $0.kind == "Deployment" })
            for (k, v) in l { #expect(deployment.labels[k] == v, "\(file.lastPathComponent) label \(k)") }
            #expect(deployment[path: "spec.selector.matchLabels"]?.stringMapValue == l)
            let container = deployment[path: "spec.template.spec.containers"]?.arrayValue?.first
            #expect(container?["ports"] == [["name": "http", "containerPort": port, "protocol": "TCP"]])
            #expect(container?["args"]?.arrayValue?.last == server.spec["image"])
            #expect(deployment[path: "spec.template.spec.serviceAccountName"] == .string("\(n)-proxy-runner"))
            let service = try #require(applied.first { $0.kind == "Service" })
            #expect(service[path: "spec.selector"]?.stringMapValue == l)
            #expect(service[path: "spec.ports"] == [["name": "http", "port": port, "targetPort": port, "protocol": "TCP"]])
            let cm = try #require(applied.first { $0.kind == "ConfigMap" })
            #expect(cm.labels == ["toolhive.stacklok.io/component": "run-config", "toolhive.stacklok.io/mcp-server": n, "toolhive.stacklok.io/managed-by": "toolhive-operator"])
            let transport = server.spec["transport"]?.stringValue ?? "stdio"
            let suffix = transport == "sse" ? "/sse#\(n)" : "/mcp"
            #expect(status?["url"] == .string("http://mcp-\(n)-proxy.\(ns).svc.cluster.local:\(port.intValue ?? 0)\(suffix)"))
        }
    }
}

extension MCPServerExamplesTests {
    /// Owner references point at uids the loader fills in: two servers must not share one.
    @Test func loadedServersGetDistinctUIDs() throws {
        let text = "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata: {name: a}\nspec: {image: i}\n---\napiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata: {name: b}\nspec: {image: i}\n"
        let objects = try SnapshotLoader().loadObjects([InputSource(path: "two.yaml", bytes: Array(text.utf8))]).map(\.object)
        #expect(objects.count == 2)
        #expect(Set(objects.map(\.uid)).count == 2)
        #expect(objects.allSatisfy { $0.uid == SnapshotLoader.deterministicUID(for: $0.key) })
    }
}
