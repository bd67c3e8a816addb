import Foundation
import Testing
@testable import ReconcileCore

/// `converge --assume-ready` over every shipped vMCP, tool-config and external-auth example
/// (skipped without `../shared`): a fixed point is reached, the vMCP runtime rule and the operator
/// agree (no oscillation), and the examples that can become Ready do, with the runtime's report.
@Suite struct VMCPConvergeTests {
    static func converge(_ url: URL, env: OperatorEnvironment = OperatorEnvironment()) throws -> ConvergeResult {
        let objects = try VMCPExamplesTests.load(url)
        return try Converger(env: env, options: .init(assumeReady: true)).converge(ClusterModel(snapshot: Snapshot(objects), now: env.now))
    }

    @Test(.enabled(if: TestPaths.shared != nil), arguments: VMCPExamplesTests.files)
    func reachesAFixedPoint(_ url: URL) throws {
        let result = try Self.converge(url)
        #expect(result.failures.isEmpty)
        // At the fixed point neither writer has anything left to say.
        let snapshot = result.model.snapshot
        #expect(VMCPRuntimeRule().changes(in: snapshot, env: OperatorEnvironment(now: result.model.now)).isEmpty)
        for key in snapshot.keys(Kinds.virtualMCPServer) {
            #expect(VirtualMCPServerReconciler().reconcile(snapshot, key: key, env: OperatorEnvironment(now: result.model.now)).actions.isEmpty)
        }
    }

    @Test(.enabled(if: TestPaths.shared != nil)) func readyExamplesReportTheirBackends() throws {
        let expected: [String: (vmcp: String, backends: Int64)] = [
            "vmcp_simple_discovered.yaml": ("simple-vmcp", 1), "composite_tool_simple.yaml": ("vmcp-simple-composite", 2),
            "composite_tool_complex.yaml": ("vmcp-data-processor", 3), "vmcp_codemode.yaml": ("codemode-vmcp", 2),
            "vmcp_with_telemetry_ref.yaml": ("telemetry-demo-vmcp", 1),
        ]
        for (file, want) in expected {
            guard let url = VMCPExamplesTests.files.first(where: { $0.lastPathComponent == file }) else { continue }
            let result = try Self.converge(url)
            let v = try #require(result.model.snapshot.list(Kinds.virtualMCPServer).first { $0.name == want.vmcp })
            #expect(v.status["phase"] == "Ready", "\(file)")
            #expect(v.status["backendCount"] == .int(want.backends), "\(file)")
            #expect(v.condition("BackendsDiscovered")?.status == .true, "\(file)")
            #expect(v.condition("Ready")?.reason == "DeploymentReady", "\(file)")
        }
    }

    @Test(.enabled(if: TestPaths.shared != nil)) func operatorReportsWhenNoRuntimeDoes() throws {
        guard let url = VMCPExamplesTests.files.first(where: { $0.lastPathComponent == "vmcp_conflict_resolution.yaml" }) else { return }
        let result = try Self.converge(url, env: OperatorEnvironment(vmcpRuntimeReportsStatus: false))
        for v in result.model.snapshot.list(Kinds.virtualMCPServer) {
            #expect(v.status["backendCount"] == 3)
            #expect(v.status["phase"] == "Ready")
        }
    }
}
