import Foundation
import Testing
@testable import ReconcileCore

/// Input order never changes a byte of `simulate` or `converge` output, for every fixture and
/// every ToolHive example.
@Suite struct DeterminismTests {
    static func outputs(_ objects: [KubeObject], env: OperatorEnvironment) throws -> (plan: String, converged: String) {
        let plan = YAMLWriter.write(Simulator.simulate(ClusterModel(objects: objects, now: env.now).snapshot, env: env).value())
        let result = try Converger(env: env, options: .init(assumeReady: true)).converge(ClusterModel(objects: objects, now: env.now))
        return (plan, YAMLWriter.write(result.list))
    }

    static func check(_ objects: [KubeObject], label: String) throws {
        let env = OperatorEnvironment()
        let reference = try outputs(objects, env: env)
        for seed in [7] as [UInt64] {
            var rng = SplitMix64(seed: seed)
            let shuffled = try outputs(objects.shuffled(using: &rng), env: env)
            #expect(shuffled.plan == reference.plan, "\(label): simulate output depends on input order (seed \(seed))")
            #expect(shuffled.converged == reference.converged, "\(label): converge output depends on input order (seed \(seed))")
        }
    }

    @Test func fixtures() throws {
        for c in GoldenCase.all { try Self.check(try c.loadObjects(), label: c.testDescription) }
    }

    @Test func toolhiveExamples() throws {
        for url in IdempotenceTests.examples { try Self.check(try IdempotenceTests.load(url), label: url.lastPathComponent) }
    }
}
