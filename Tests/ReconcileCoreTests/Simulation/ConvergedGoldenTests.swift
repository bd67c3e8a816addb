import Foundation
import Testing
@testable import ReconcileCore

/// `converged.yaml` next to a fixture's `input.yaml` is what `operatorctl converge --assume-ready`
/// prints for it. Only cases that have one are checked; `UPDATE_GOLDEN=1` rewrites existing ones.
@Suite struct ConvergedGoldenTests {
    static var cases: [GoldenCase] {
        GoldenCase.all.filter { FileManager.default.fileExists(atPath: $0.file("converged.yaml").path) }
    }

    @Test(arguments: cases)
    func convergedMatchesGolden(_ c: GoldenCase) throws {
        let env = try c.environment()
        let result = try Converger(env: env, options: .init(assumeReady: true)).converge(ClusterModel(objects: try c.loadObjects(), now: env.now))
        Golden.check(YAMLWriter.write(result.list), against: c.file("converged.yaml"))
    }
}
