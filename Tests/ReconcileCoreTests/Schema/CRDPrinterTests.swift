import Testing
@testable import ReconcileCore

/// The printed CRD manifests, checked on their own (the field-by-field comparison with the
/// upstream CRDs is in `CRDComparisonTests`).
@Suite struct CRDPrinterTests {
    @Test func oneManifestPerKindInRegistryOrder() {
        let kinds = CRDs.all().compactMap { $0[path: "spec.names.kind"]?.stringValue }
        #expect(kinds == ["MCPServer", "MCPGroup", "MCPRegistry", "VirtualMCPServer", "MCPExternalAuthConfig", "MCPToolConfig", "VirtualMCPCompositeToolDefinition"])
    }

    @Test func mcpServerManifest() throws {
        let crd = CRDs.manifest(for: MCPServerSchema.kind)
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd["kind"] == "CustomResourceDefinition")
        #expect(crd[path: "metadata.name"] == "mcpservers.toolhive.stacklok.dev")
        #expect(crd[path: "spec.group"] == "toolhive.stacklok.dev")
        #expect(crd[path: "spec.scope"] == "Namespaced")
        #expect(crd[path: "spec.names"] == [
            "categories": ["toolhive"], "kind": "MCPServer", "listKind": "MCPServerList", "plural": "mcpservers",
            "shortNames": ["mcpserver", "mcpservers"], "singular": "mcpserver",
        ])
        let versions = try #require(crd[path: "spec.versions"]?.arrayValue)
        #expect(versions.map { $0["name"] } == ["v1alpha1", "v1beta1"])
        #expect(versions.map { $0["storage"] } == [false, true])
        #expect(versions.map { $0["served"] } == [true, true])
        #expect(versions[0]["deprecated"] == true)
        #expect(versions[0]["deprecationWarning"] == "toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1")
        #expect(versions[1]["deprecated"] == nil)
        #expect(versions[1]["subresources"] == ["status": [:]])
        #expect(versions[0]["schema"] == versions[1]["schema"])
        #expect(versions[1]["additionalPrinterColumns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Status", "Ready", "Replicas", "URL", "Age"])
        let spec = try #require(versions[1][path: "schema.openAPIV3Schema.properties.spec"])
        #expect(spec["required"] == ["image"])
        #expect(spec[path: "properties.transport"] == ["default": "stdio", "enum": ["stdio", "streamable-http", "sse"], "type": "string"])
        #expect(spec[path: "properties.proxyPort"] == ["default": 8080, "format": "int32", "maximum": 65535, "minimum": 1, "type": "integer"])
        #expect(spec[path: "properties.env"]?["x-kubernetes-list-map-keys"] == ["name"])
        #expect(spec[path: "properties.podTemplateSpec"] == ["type": "object", "x-kubernetes-preserve-unknown-fields": true])
        let rules = spec["x-kubernetes-validations"]?.arrayValue ?? []
        #expect(rules.count == 4)
        #expect(rules.contains(["message": "rateLimiting requires sessionStorage with provider 'redis'",
                                "rule": "!has(self.rateLimiting) || (has(self.sessionStorage) && self.sessionStorage.provider == 'redis')"]))
    }

    @Test func registryIsDeprecatedInBothVersions() {
        let versions = CRDs.manifest(for: MCPRegistrySchema.kind)[path: "spec.versions"]?.arrayValue ?? []
        #expect(versions.map { $0["deprecated"] } == [true, true])
        #expect(versions.allSatisfy { $0["deprecationWarning"]?.stringValue?.hasPrefix("MCPRegistry is deprecated") == true })
    }

    @Test func schemaKeysComeOutInControllerGenOrder() {
        let node: SchemaNode = .object(["b": .list(.string).minItems(1).atomic, "a": .string.req]).rule("true", "m") { _ in true }
        let printed = CRDPrinter.value(of: node)
        #expect(printed.objectValue?.keys == ["properties", "required", "type", "x-kubernetes-validations"])
        #expect(printed[path: "properties.b"]?.objectValue?.keys == ["items", "minItems", "type", "x-kubernetes-list-type"])
        #expect(printed[path: "properties"]?.objectValue?.keys == ["a", "b"])
        #expect(CRDPrinter.value(of: .any) == ["x-kubernetes-preserve-unknown-fields": true])
    }
}
