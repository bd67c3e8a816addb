import Foundation
import Testing
@testable import operatorctl
@testable import ReconcileCore

/// `operatorctl convert -o json` of every ToolHive example equals what PyYAML's `safe_load_all`
/// makes of it (after the same normalisation: Lists flattened, default namespace, sorted).
/// Runs only where ../shared and python3 with PyYAML exist.
@Suite struct PyYAMLAgreementTests {
    static let script = """
        import json, sys, yaml
        CLUSTER = {"Namespace", "Node", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass"}
        out = {}
        for path in sys.argv[1:]:
            items = []
            with open(path) as f:
                for doc in yaml.safe_load_all(f):
                    if doc is None:
                        continue
                    kind = doc.get("kind", "")
                    if (kind == "List" or kind.endswith("List")) and "items" in doc:
                        items.extend(doc["items"])
                    else:
                        items.append(doc)
            for o in items:
                md = o.setdefault("metadata", {})
                if o.get("kind") not in CLUSTER:
                    md.setdefault("namespace", "default")
            items.sort(key=lambda o: (o["apiVersion"], o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]))
            out[path] = {"apiVersion": "v1", "kind": "List", "items": items}
        json.dump(out, sys.stdout)
        """

    static func pythonLoads(_ paths: [String]) -> Value? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + paths
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return try? JSONReader.parse(bytes: Array(data))
    }

    @Test func convertAgreesWithPyYAML() throws {
        guard let shared = CLIPaths.shared else { return }
        let dir = shared.appendingPathComponent("toolhive-examples")
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        var paths: [String] = []
        while let rel = enumerator?.nextObject() as? String {
            if rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") { paths.append(dir.appendingPathComponent(rel).path) }
        }
        paths.sort()
        #expect(paths.count > 40)
        guard let expected = Self.pythonLoads(paths) else { return }  // no python3 / PyYAML here
        for path in paths {
            let out = run(["convert", path, "-o", "json"])
            #expect(out.exitCode == 0, "\(path): \(out.stderr)")
            let ours = try JSONReader.parse(out.stdout)
            let theirs = expected[path] ?? .null
            if ours != theirs {
                let diff = Diff.differences(desired: theirs, observed: ours) + Diff.differences(desired: ours, observed: theirs)
                Issue.record("\(path): convert differs from PyYAML: \(diff.prefix(5))")
            }
        }
    }
}
