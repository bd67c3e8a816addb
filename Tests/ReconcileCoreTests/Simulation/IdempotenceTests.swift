import Foundation
import Testing
@testable import ReconcileCore

/// The property that ties the engine to the reconcilers: once `converge` has reached a fixed
/// point, one more `simulate` pass over the result plans nothing for any object.
@Suite struct IdempotenceTests {
    static let env = OperatorEnvironment()

    /// Converges `objects` with every registered controller and checks the simulate pass is empty.
    static func checkIdempotent(_ objects: [KubeObject], assumeReady: Bool, label: String) {
        let converger = Converger(controllers: .all, env: env, options: .init(assumeReady: assumeReady))
        let result: ConvergeResult
        do {
            result = try converger.converge(ClusterModel(objects: objects, now: env.now))
        } catch {
            Issue.record("\(label): \(error)")
            return
        }
        var after = env
        after.now = result.model.now
        let plan = Simulator.simulate(result.model.snapshot, env: after, controllers: .all)
        for r in plan.reconciles where !r.actions.isEmpty {
            let what = r.actions.map { "\($0.op) \($0.target.kind)/\($0.target.name): \($0.reasons.joined(separator: "; "))" }
            Issue.record("\(label): \(r.controller) \(r.object.namespace)/\(r.object.name) still plans \(what)")
        }
    }

    /// A small cluster touching every primary kind: a group with an sse and a stdio server, a tool
    /// config, a VirtualMCPServer over the group, and a registry.
    static var mixedCluster: [KubeObject] {
        func object(_ kind: String, _ name: String, spec: Value) -> KubeObject {
            var o = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: kind, namespace: "default", name: name)
            o.spec = spec
            return o
        }
        return [
            object("MCPGroup", "team", spec: ["description": "a team's servers"]),
            object("MCPToolConfig", "tools", spec: ["toolsFilter": ["fetch"]]),
            object("MCPServer", "fetch", spec: ["image": "ghcr.io/stackloklabs/gofetch/server", "transport": "streamable-http", "proxyPort": 8080, "mcpPort": 8080, "groupRef": ["name": "team"], "toolConfigRef": ["name": "tools"]]),
            object("MCPServer", "yardstick", spec: ["image": "ghcr.io/stackloklabs/yardstick/server", "transport": "sse", "groupRef": ["name": "team"]]),
            object("MCPServer", "filesystem", spec: ["image": "docker.io/mcp/filesystem", "transport": "stdio"]),
            object("VirtualMCPServer", "gateway", spec: ["groupRef": ["name": "team"], "incomingAuth": ["type": "anonymous"]]),
            object("MCPServer", "orphan", spec: ["image": "example/x", "transport": "sse", "groupRef": ["name": "missing"]]),
        ]
    }

    /// Every ToolHive example file (skipped without `../shared`).
    static var examples: [URL] {
        guard let shared = TestPaths.shared else { return [] }
        return TestPaths.files(in: shared.appendingPathComponent("toolhive-examples"))
    }

    static func load(_ url: URL) throws -> [KubeObject] {
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        return try SnapshotLoader().loadObjects([InputSource(path: url.path, bytes: Array(data))]).map(\.object)
    }

    @Test(arguments: [true, false])
    func everyFixtureIsIdempotent(assumeReady: Bool) throws {
        for c in GoldenCase.all {
            Self.checkIdempotent(try c.loadObjects(), assumeReady: assumeReady, label: "\(c.testDescription), assumeReady=\(assumeReady)")
        }
    }

    @Test(arguments: [true, false])
    func everyToolHiveExampleIsIdempotent(assumeReady: Bool) throws {
        for url in Self.examples {
            Self.checkIdempotent(try Self.load(url), assumeReady: assumeReady, label: "\(url.lastPathComponent), assumeReady=\(assumeReady)")
        }
    }

    /// With `--assume-ready`, every workload ends Ready, or says why not in its Ready condition.
    @Test func examplesEndReadyOrSayWhyNot() throws {
        let workloads = Set([Kinds.mcpServer, Kinds.virtualMCPServer, Kinds.mcpRegistry]).intersection(ControllerSet.all.primaryKinds)
        var ready = 0
        for url in Self.examples {
            let result = try Converger(env: Self.env, options: .init(assumeReady: true)).converge(ClusterModel(objects: try Self.load(url), now: Self.env.now))
            for o in result.model.snapshot.allObjects where workloads.contains(o.groupKind) {
                if o.status["phase"] == "Ready" && o.condition("Ready")?.status == .true {
                    ready += 1
                    continue
                }
                let why = o.condition("Ready")
                #expect(why?.status == .false && why?.message.isEmpty == false, "\(url.lastPathComponent): \(o.kind) \(o.name) is neither Ready nor says why: \(o.status)")
            }
        }
        if !workloads.isEmpty && !Self.examples.isEmpty { #expect(ready > 0) }
    }

    @Test(arguments: [true, false])
    func mixedClusterIsIdempotent(assumeReady: Bool) {
        Self.checkIdempotent(Self.mixedCluster, assumeReady: assumeReady, label: "mixed cluster, assumeReady=\(assumeReady)")
    }
}
