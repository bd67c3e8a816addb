import Foundation
import Testing
@testable import operatorctl
@testable import ReconcileCore

@Suite struct ConvergeCommandTests {
    static let input = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: ns}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: lb, namespace: ns}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {a: b}
        """

    @Test func assumeReadyPrintsTheConvergedList() throws {
        let out = run(["converge", "-", "--assume-ready", "-o", "json"], stdin: Self.input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty)
        let list = try JSONReader.parse(out.stdout)
        #expect(list["kind"] == "List")
        let items = list["items"]?.arrayValue ?? []
        #expect(items.map { $0["kind"]?.stringValue ?? "" } == ["Pod", "Pod", "Service", "ConfigMap", "Deployment"].sorted { a, b in
            // apiVersion first: apps/v1 sorts before v1.
            (a == "Deployment" ? "apps/v1" : "v1", a) < (b == "Deployment" ? "apps/v1" : "v1", b)
        })
        let deployment = try #require(items.first { $0["kind"] == "Deployment" })
        #expect(deployment[path: "status.readyReplicas"] == 2)
        let lb = try #require(items.first { $0["kind"] == "Service" })
        #expect(lb[path: "status.loadBalancer.ingress"]?.arrayValue?.count == 1)
        #expect(items.first { $0["kind"] == "ConfigMap" }?[path: "metadata.namespace"] == "default")
    }

    @Test func withoutAssumeReadyNothingChanges() throws {
        let out = run(["converge", "-", "-o", "json"], stdin: Self.input)
        #expect(out.exitCode == 0)
        let items = try JSONReader.parse(out.stdout)["items"]?.arrayValue ?? []
        #expect(items.count == 3)
        #expect(items.allSatisfy { $0["status"] == nil })
    }

    @Test func outputDoesNotDependOnInputOrder() {
        let a = run(["converge", "-", "--assume-ready"], stdin: Self.input)
        for seed in ["1", "2", "3"] {
            let b = run(["converge", "-", "--assume-ready", "--shuffle-seed", seed], stdin: Self.input)
            #expect(b.stdout == a.stdout)
        }
    }

    @Test func explainGoesToStderrAndKeepsStdoutAList() throws {
        let out = run(["converge", "-", "--assume-ready", "--explain", "-o", "json"], stdin: Self.input)
        #expect(out.exitCode == 0)
        #expect(try JSONReader.parse(out.stdout)["kind"] == "List")
        #expect(out.stderr.contains("round 1 (2026-01-01T00:00:00Z) deployment-controller: create Pod/ns/web-"))
        #expect(out.stderr.contains("service-controller: patchStatus Service/ns/lb"))
        #expect(out.stderr.hasSuffix("converged after 2 rounds at 2026-01-01T00:00:00Z\n"))
    }

    @Test func badMaxRoundsIsAUsageError() {
        let out = run(["converge", "-", "--max-rounds", "zero"], stdin: Self.input)
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("error: --max-rounds: expected a positive whole number, got \"zero\""))
        #expect(out.stdout.isEmpty)
    }

    @Test func nonConvergencePointsAtTheInputObject() {
        let server = ObjectKey(Kinds.mcpServer, namespace: "ns", name: "s")
        let deployment = ObjectKey(Kinds.deployment, namespace: "ns", name: "s")
        let origins = [server: FileLocation(path: "in.yaml", position: SourcePosition(line: 12, column: 1))]
        let error = ConvergeError.noFixedPoint(rounds: 100, still: [
            ObjectChurn(key: deployment, owner: server, writers: ["toolhive-operator"], fields: ["spec.replicas: 1 → 2"]),
            ObjectChurn(key: ObjectKey(Kinds.configMap, namespace: "ns", name: "x"), owner: nil, writers: ["proxy-runner"], fields: []),
        ])
        let out = ConvergeCommand.failure(error, origins: origins)
        #expect(out.exitCode == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == """
            in.yaml:12:1: error: converge did not reach a fixed point in 100 rounds: Deployment/ns/s (written by toolhive-operator): spec.replicas: 1 → 2
            operatorctl: error: converge did not reach a fixed point in 100 rounds: ConfigMap/ns/x (written by proxy-runner): created or deleted

            """)
    }

    @Test func changedUsesTheSharedWatchSimulation() throws {
        let out = run(["simulate", "-", "--changed", "Deployment.apps/ns/web", "-o", "json"], stdin: Self.input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let v = try JSONReader.parse(out.stdout)
        #expect(v[path: "changed.kind"] == "Deployment")
        #expect(v["requests"]?.arrayValue != nil)
        let unknown = run(["simulate", "-", "--changed", "Gizmo/ns/web"], stdin: Self.input)
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr == "operatorctl: error: --changed: unknown kind \"Gizmo\"\n")
        let bad = run(["simulate", "-", "--changed", "web"], stdin: Self.input)
        #expect(bad.exitCode == 2)
    }
}
