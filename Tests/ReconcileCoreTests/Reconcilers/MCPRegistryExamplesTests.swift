import Foundation
import Testing
@testable import ReconcileCore

/// `operatorctl simulate` (loader + one simulate pass) on every shipped MCPRegistry example in
/// `../shared/toolhive-examples/mcp-registries`. Skips when `../shared` is absent.
@Suite struct MCPRegistryExamplesTests {
    static var exampleFiles: [URL] {
        guard let shared = TestPaths.shared else { return [] }
        return TestPaths.files(in: shared.appendingPathComponent("toolhive-examples/mcp-registries"), extensions: ["yaml", "yml"])
    }

    @Test func examplesAreFound() {
        guard TestPaths.shared != nil else { return }
        #expect(Self.exampleFiles.count >= 6)
    }

    @Test(arguments: exampleFiles)
    func simulateCreatesAPendingRegistry(_ file: URL) throws {
        let data = try Data(contentsOf: file)
        let objects = try SnapshotLoader().loadObjects([InputSource(path: file.path, bytes: Array(data))]).map(\.object)
        let registries = objects.filter { $0.groupKind == Kinds.mcpRegistry }
        #expect(!registries.isEmpty)
        let plan = Simulator.simulate(Snapshot(objects), env: OperatorEnvironment())
        for reg in registries {
            let r = try #require(plan.reconciles.first { $0.controller == "MCPRegistry" && $0.object.name == reg.name })
            #expect(r.ops == [
                "addFinalizer MCPRegistry", "apply ConfigMap", "apply ServiceAccount", "apply Role", "apply RoleBinding",
                "apply Deployment", "apply Service", "patchStatus MCPRegistry",
            ])
            let status = try #require(r.statusPatch)
            #expect(status["phase"] == "Pending")
            #expect(r.requeueAfterSeconds == 30)
            // configYAML is passed through verbatim.
            #expect(r.applied(Kinds.configMap)?.root["data"]?["config.yaml"] == reg.spec["configYAML"])
            // Every user volume and mount reaches the pod template.
            let pod = try #require(r.applied(Kinds.deployment)?[path: "spec.template.spec"])
            let volumeNames = (pod["volumes"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            for v in reg.spec["volumes"]?.arrayValue ?? [] {
                #expect(volumeNames.contains(v["name"]?.stringValue ?? "?"))
            }
            let mounts = pod["containers"]?.arrayValue?.first?["volumeMounts"]?.arrayValue ?? []
            for m in reg.spec["volumeMounts"]?.arrayValue ?? [] {
                #expect(mounts.contains(m))
            }
            let usesPgpass = reg.spec["pgpassSecretRef"] != nil
            #expect((pod["initContainers"]?.arrayValue?.first?["name"] == "setup-pgpass") == usesPgpass)
            // Secret contents never reach the plan; only names and keys do.
            let printed = YAMLWriter.write(r.value())
            for secret in objects where secret.groupKind == Kinds.secret {
                for (_, v) in secret.root["stringData"]?.objectValue ?? OrderedMap() {
                    if let s = v.stringValue { #expect(!printed.contains(s.trimmingSpaces)) }
                }
            }
        }
    }
}
