import Foundation
import Testing
@testable import ReconcileCore

/// One fixture folder: `Fixtures/<Controller>/<case>/input.yaml` (+ optional `env.yaml`) and the
/// expected `plan.yaml`. Regenerate on purpose with `UPDATE_GOLDEN=1 swift test --filter Golden`,
/// then read the diff before committing.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    var directory: URL
    var testDescription: String { directory.deletingLastPathComponent().lastPathComponent + "/" + directory.lastPathComponent }

    static var all: [GoldenCase] {
        let fm = FileManager.default
        guard let controllers = try? fm.contentsOfDirectory(atPath: TestPaths.fixtures.path) else { return [] }
        var out: [GoldenCase] = []
        for c in controllers.sorted() where c != "bad-input" {
            let cdir = TestPaths.fixtures.appendingPathComponent(c)
            for name in ((try? fm.contentsOfDirectory(atPath: cdir.path)) ?? []).sorted() {
                let dir = cdir.appendingPathComponent(name)
                if fm.fileExists(atPath: dir.appendingPathComponent("input.yaml").path) { out.append(GoldenCase(directory: dir)) }
            }
        }
        return out
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The operator environment of the case: defaults, overridden by `env.yaml` variables.
    func environment() throws -> OperatorEnvironment {
        guard let data = FileManager.default.contents(atPath: file("env.yaml").path) else { return OperatorEnvironment() }
        let value = try YAMLReader.parse(String(decoding: data, as: UTF8.self))
        var vars: [String: String] = [:]
        for (k, v) in value.objectValue ?? OrderedMap() {
            vars[k] = v.stringValue ?? JSONWriter.write(v, pretty: false)
        }
        return OperatorEnvironment(variables: vars, now: .simulationEpoch)
    }

    func loadObjects() throws -> [KubeObject] {
        let path = file("input.yaml").path
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return try SnapshotLoader().loadObjects([InputSource(path: path, bytes: Array(data))]).map(\.object)
    }
}

enum Golden {
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file, or rewrites it when UPDATE_GOLDEN=1.
    static func check(_ actual: String, against url: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if updating {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(url.path); run UPDATE_GOLDEN=1 swift test --filter Golden", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
            let want = line < e.count ? String(e[line]) : "<end>"
            let got = line < a.count ? String(a[line]) : "<end>"
            Issue.record("\(url.path):\(line + 1): golden differs\n  expected: \(want)\n  actual:   \(got)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct GoldenTests {
    @Test(arguments: GoldenCase.all)
    func planMatchesGolden(_ c: GoldenCase) throws {
        let env = try c.environment()
        let objects = try c.loadObjects()
        let plan = Simulator.simulate(Snapshot(objects), env: env)
        let text = YAMLWriter.write(plan.value())
        Golden.check(text, against: c.file("plan.yaml"))

        // Determinism: input order never changes the output.
        let reversed = Simulator.simulate(Snapshot(objects.reversed()), env: env)
        #expect(YAMLWriter.write(reversed.value()) == text)
    }
}
