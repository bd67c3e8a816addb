import Foundation
import Testing
@testable import ReconcileCore

/// Our printed CRDs against the upstream ones in `../shared/toolhive-crds`, field by field: the
/// same set of field paths, and for each field the same type, format, enum, default, pattern,
/// bounds, required list, list/map type, preserve-unknown flag and CEL rules. Descriptions are
/// the only thing left out. Skips when `../shared` is absent.
@Suite struct CRDComparisonTests {
    /// Path → the node's own attributes (children and description removed).
    static func flatten(_ node: Value, _ path: String, into out: inout [String: Value]) {
        guard var attributes = node.objectValue else { return }
        for key in ["properties", "items", "additionalProperties", "description"] { attributes[key] = nil }
        out[path.isEmpty ? "." : path] = .object(attributes)
        for (name, child) in node["properties"]?.objectValue ?? OrderedMap() { flatten(child, "\(path).\(name)", into: &out) }
        if let items = node["items"] { flatten(items, "\(path)[]", into: &out) }
        if let values = node["additionalProperties"], values.objectValue != nil { flatten(values, "\(path){}", into: &out) }
    }

    static func upstream(_ kind: KindSchema) -> Value? {
        guard let shared = TestPaths.shared,
              let text = try? String(contentsOf: shared.appendingPathComponent("toolhive-crds/toolhive.stacklok.dev_\(kind.plural).yaml"), encoding: .utf8),
              let docs = try? YAMLReader.parseStream(text) else { return nil }
        return docs.first { $0.value["kind"] == "CustomResourceDefinition" }?.value
    }

    @Test(.enabled(if: TestPaths.shared != nil, "../shared is absent"), arguments: SchemaRegistry.all.map(\.groupKind))
    func sameFieldsAndTypesAsUpstream(_ groupKind: GroupKind) throws {
        let kind = try #require(SchemaRegistry.schema(for: groupKind))
        let theirs = try #require(Self.upstream(kind), "no upstream CRD for \(kind.plural)")
        let ours = CRDs.manifest(for: kind)

        #expect(ours[path: "metadata.name"] == theirs[path: "metadata.name"])
        #expect(ours[path: "spec.group"] == theirs[path: "spec.group"])
        #expect(ours[path: "spec.scope"] == theirs[path: "spec.scope"])
        #expect(ours[path: "spec.names"] == theirs[path: "spec.names"])

        let ourVersions = ours[path: "spec.versions"]?.arrayValue ?? []
        let theirVersions = theirs[path: "spec.versions"]?.arrayValue ?? []
        #expect(ourVersions.map { $0["name"] } == theirVersions.map { $0["name"] })
        for (o, t) in zip(ourVersions, theirVersions) {
            for field in ["served", "storage", "deprecated", "deprecationWarning", "subresources"] {
                #expect(o[field] == t[field], "\(kind.plural) \(t["name"] ?? nil) \(field)")
            }
            let theirColumns = (t["additionalPrinterColumns"]?.arrayValue ?? []).map { c -> Value in
                var m = c.objectValue ?? OrderedMap()
                m["description"] = nil
                return .object(m)
            }
            #expect(o["additionalPrinterColumns"]?.arrayValue == theirColumns, "\(kind.plural) printer columns")

            var ourFields: [String: Value] = [:]
            var theirFields: [String: Value] = [:]
            Self.flatten(o[path: "schema.openAPIV3Schema"] ?? .null, "", into: &ourFields)
            Self.flatten(t[path: "schema.openAPIV3Schema"] ?? .null, "", into: &theirFields)
            #expect(ourFields.count > 10)
            let missing = Set(theirFields.keys).subtracting(ourFields.keys).sorted()
            let extra = Set(ourFields.keys).subtracting(theirFields.keys).sorted()
            #expect(missing.isEmpty, "\(kind.plural): fields we lack: \(missing)")
            #expect(extra.isEmpty, "\(kind.plural): fields upstream lacks: \(extra)")
            for path in theirFields.keys.sorted() where ourFields[path] != nil && ourFields[path] != theirFields[path] {
                Issue.record("\(kind.plural) \(path): ours \(JSONWriter.write(ourFields[path] ?? .null, pretty: false)) upstream \(JSONWriter.write(theirFields[path] ?? .null, pretty: false))")
            }
        }
    }
}
