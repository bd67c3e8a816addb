import Foundation
import Testing
@testable import ReconcileCore

/// Every object of the seven modelled kinds in `../shared/toolhive-examples` is valid (warnings,
/// e.g. references to objects in other files, are allowed), except three upstream examples that
/// the real API server rejects too: they spell `tokenExchange` fields in snake_case
/// (`token_url`, `client_id`, `client_secret_ref`), which the CRD does not know, so the server
/// drops them and then finds the required `tokenUrl` missing. Skips when `../shared` is absent.
@Suite struct ExampleValidationTests {
    static let knownInvalid: [String: [String]] = [
        "external-auth/complete_example.yaml": ["MCPExternalAuthConfig/default/keycloak-token-exchange: spec.tokenExchange.tokenUrl: Required value"],
        "external-auth/mcpexternalauthconfig_basic.yaml": ["MCPExternalAuthConfig/default/oauth-token-exchange: spec.tokenExchange.tokenUrl: Required value"],
        "external-auth/mcpexternalauthconfig_minimal.yaml": ["MCPExternalAuthConfig/default/minimal-oauth: spec.tokenExchange.tokenUrl: Required value"],
    ]

    /// Every example file, path relative to the examples directory, with its text.
    static var files: [(name: String, text: String)] {
        guard let shared = TestPaths.shared else { return [] }
        let root = shared.appendingPathComponent("toolhive-examples")
        return TestPaths.files(in: root, extensions: ["yaml", "yml"]).compactMap { url in
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return (String(url.standardized.path.dropFirst(root.standardized.path.count + 1)), text)
        }
    }

    @Test(.enabled(if: TestPaths.shared != nil, "../shared is absent")) func upstreamExamplesHaveNoErrors() throws {
        let files = Self.files
        #expect(files.count > 40)
        var checked: [String: Int] = [:]
        for file in files {
            var errors: [String] = []
            for doc in try YAMLReader.parseStream(file.text) {
                guard var object = KubeObject(doc.value), SchemaRegistry.schema(for: object.groupKind) != nil else { continue }
                if object.namespace.isEmpty { object.setMeta("namespace", "default") }
                checked[object.kind, default: 0] += 1
                errors += SchemaValidation.validateSchema(object).filter { $0.severity == .error }.map(\.description)
            }
            #expect(errors == Self.knownInvalid[file.name] ?? [], "\(file.name)")
        }
        // All seven kinds appear in the examples.
        #expect(checked.keys.sorted() == SchemaRegistry.all.map(\.groupKind.kind).sorted())
        #expect(checked.values.reduce(0, +) > 80)
    }

    /// The snake_case fields of those examples are reported as unknown, which is what tells a
    /// user what went wrong.
    @Test(.enabled(if: TestPaths.shared != nil, "../shared is absent")) func snakeCaseFieldsAreFlaggedAsUnknown() throws {
        let file = try #require(Self.files.first { $0.name == "external-auth/mcpexternalauthconfig_minimal.yaml" })
        let object = try #require(try YAMLReader.parseStream(file.text).compactMap { KubeObject($0.value) }.first { $0.kind == "MCPExternalAuthConfig" })
        let unknown = SchemaValidation.validateSchema(object).filter { $0.message.hasPrefix("unknown field") }.map(\.fieldPath)
        #expect(unknown.contains("spec.tokenExchange.token_url"))
        #expect(unknown.contains("spec.tokenExchange.client_id"))
    }
}
