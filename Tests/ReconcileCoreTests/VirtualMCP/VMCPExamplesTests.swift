import Foundation
import Testing
@testable import ReconcileCore

/// `simulate` over every shipped vMCP, tool-config and external-auth example (skipped without
/// `../shared`): no crash, one result per primary, order-independent output, and the verdicts the
/// examples are known to produce.
@Suite struct VMCPExamplesTests {
    static var files: [URL] {
        guard let shared = TestPaths.shared else { return [] }
        let root = shared.appendingPathComponent("toolhive-examples")
        return ["virtual-mcps", "tool-configs", "external-auth"].flatMap { TestPaths.files(in: root.appendingPathComponent($0), recursive: false) }
    }

    static func load(_ url: URL) throws -> [KubeObject] {
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        return try SnapshotLoader().loadObjects([InputSource(path: url.path, bytes: Array(data))]).map(\.object)
    }

    /// The groups as their controller leaves them after one pass, so the vMCP gets past the group check.
    static func withReadyGroups(_ objects: [KubeObject]) -> [KubeObject] {
        objects.map { o in
            guard o.groupKind == Kinds.mcpGroup else { return o }
            var g = o
            g.status = ["phase": "Ready"]
            return g
        }
    }

    @Test(.enabled(if: TestPaths.shared != nil), arguments: files)
    func simulateWorks(_ url: URL) throws {
        let objects = try Self.load(url)
        #expect(!objects.isEmpty)
        for world in [objects, Self.withReadyGroups(objects)] {
            let plan = Simulator.simulate(Snapshot(world), env: OperatorEnvironment())
            let mine: Set<GroupKind> = [Kinds.virtualMCPServer, Kinds.mcpToolConfig, Kinds.mcpExternalAuthConfig, Kinds.compositeToolDefinition]
            let primaries = world.filter { mine.contains($0.groupKind) }.map(\.key).sorted()
            #expect(plan.reconciles.filter { mine.contains($0.object.key.groupKind) }.map(\.object.key).sorted() == primaries)
            for r in plan.reconciles where r.object.kind == "VirtualMCPServer" {
                #expect(r.statusPatch != nil, "every vMCP reports a status: \(r.object.name)")
            }
            let reversed = Simulator.simulate(Snapshot(world.reversed()), env: OperatorEnvironment())
            #expect(YAMLWriter.write(reversed.value()) == YAMLWriter.write(plan.value()))
        }
    }

    func plan(_ name: String, readyGroups: Bool = true) throws -> Plan? {
        guard let url = Self.files.first(where: { $0.lastPathComponent == name }) else { return nil }
        let objects = try Self.load(url)
        return Simulator.simulate(Snapshot(readyGroups ? Self.withReadyGroups(objects) : objects), env: OperatorEnvironment())
    }

    @Test(.enabled(if: TestPaths.shared != nil)) func knownVerdicts() throws {
        #expect(Self.files.count >= 20)
        let simple = try #require(try plan("vmcp_simple_discovered.yaml"))
        let v = try #require(simple.reconciles.first { $0.object.name == "simple-vmcp" })
        #expect(v.summary.contains("apply ConfigMap/simple-vmcp-vmcp-config"))
        #expect(v.summary.contains("apply Deployment/simple-vmcp"))

        let complex = try #require(try plan("composite_tool_complex.yaml"))
        #expect(complex.reconciles.first { $0.object.name == "multi-source-data-processor" }?.statusPatch?["validationStatus"] == "Valid")
        #expect(complex.reconciles.first { $0.object.name == "vmcp-data-processor" }?.condition("CompositeToolRefsValidated")?.status == .true)

        // The example writes `maxRetries`, which is not a CRD field: retry without retryCount is invalid.
        let elicit = try #require(try plan("composite_tool_with_elicitations.yaml"))
        #expect(elicit.reconciles.first { $0.object.name == "interactive-deploy" }?.statusPatch?["validationErrors"]
            == [.string("spec.steps[3].onError.retryCount must be at least 1 when action is retry")])
        #expect(elicit.reconciles.first { $0.object.name == "vmcp-interactive-deploy" }?.condition("CompositeToolRefsValidated")?.reason == "CompositeToolRefInvalid")

        // The external-auth examples use the old snake_case keys, so the schema's required fields are unset.
        let ea = try #require(try plan("mcpexternalauthconfig_basic.yaml"))
        #expect(ea.reconciles.first?.condition("Valid")?.message == "spec.tokenExchange.tokenUrl is required")

        let prod = try #require(try plan("vmcp_production_full.yaml"))
        let p = try #require(prod.reconciles.first { $0.object.name == "production-vmcp" })
        #expect(p.condition("OIDCConfigRefValidated")?.reason == "OIDCConfigRefNotFound")

        let conflicts = try #require(try plan("vmcp_conflict_resolution.yaml"))
        #expect(conflicts.reconciles.filter { $0.object.kind == "VirtualMCPServer" }.allSatisfy { $0.summary.contains { $0.hasPrefix("apply Deployment/") } })
    }
}
