import Testing
@testable import ReconcileCore

/// The public entry point: versions, references, ordering, positions and defaulting.
@Suite struct SchemaValidationTests {
    func object(_ kind: GroupKind, _ name: String, apiVersion: String = Kinds.toolhiveAPIVersion, spec: Value) -> KubeObject {
        var o = KubeObject(apiVersion: apiVersion, kind: kind.kind, namespace: "team", name: name)
        o.spec = spec
        return o
    }

    func lines(_ problems: [ValidationProblem]) -> [String] {
        problems.map { "\($0.severity.rawValue) \($0.description)" }
    }

    @Test func deprecatedAndUnknownVersions() {
        let old = object(Kinds.mcpGroup, "g", apiVersion: "toolhive.stacklok.dev/v1alpha1", spec: [:])
        #expect(lines(SchemaValidation.validate(old, in: Snapshot())) == [
            "warning MCPGroup/team/g: apiVersion: toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1",
        ])
        let future = object(Kinds.mcpGroup, "g", apiVersion: "toolhive.stacklok.dev/v2", spec: [:])
        #expect(lines(SchemaValidation.validate(future, in: Snapshot())) == [
            #"error MCPGroup/team/g: apiVersion: no matches for kind "MCPGroup" in version "toolhive.stacklok.dev/v2" (served: v1alpha1, v1beta1)"#,
        ])
        // MCPRegistry is deprecated in both versions, with its own message.
        let registry = object(Kinds.mcpRegistry, "r", spec: ["configYAML": "x"])
        let problems = SchemaValidation.validate(registry, in: Snapshot())
        #expect(problems.count == 1)
        #expect(problems.first?.severity == .warning)
        #expect(problems.first?.message.hasPrefix("MCPRegistry is deprecated and will be removed") == true)
    }

    @Test func kindsWithoutASchemaAreNotValidated() {
        var deployment = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "team", name: "d")
        deployment.spec = ["replicas": "many"]
        #expect(SchemaValidation.validate(deployment, in: Snapshot()).isEmpty)
        let proxy = object(Kinds.mcpRemoteProxy, "p", spec: ["anything": 1])
        #expect(SchemaValidation.validate(proxy, in: Snapshot()).isEmpty)
    }

    @Test func missingReferencesAreWarnings() {
        let server = object(Kinds.mcpServer, "s", spec: [
            "image": "i", "groupRef": ["name": "g"], "toolConfigRef": ["name": "tc"],
            "externalAuthConfigRef": ["name": "ext"], "authServerRef": ["name": "as"],
        ])
        let snapshot = Snapshot([server, object(Kinds.mcpToolConfig, "tc", spec: [:])])
        #expect(lines(SchemaValidation.validate(server, in: snapshot)) == [
            #"warning MCPServer/team/s: spec.authServerRef.name: MCPExternalAuthConfig "as" not found in namespace "team" (the operator will report it in status)"#,
            #"warning MCPServer/team/s: spec.externalAuthConfigRef.name: MCPExternalAuthConfig "ext" not found in namespace "team" (the operator will report it in status)"#,
            #"warning MCPServer/team/s: spec.groupRef.name: MCPGroup "g" not found in namespace "team" (the operator will report it in status)"#,
        ])
    }

    @Test func referencesResolveOnlyInTheSameNamespace() {
        let server = object(Kinds.mcpServer, "s", spec: ["image": "i", "groupRef": ["name": "g"]])
        var elsewhere = object(Kinds.mcpGroup, "g", spec: [:])
        elsewhere.setMeta("namespace", "other")
        #expect(SchemaValidation.validate(server, in: Snapshot([server, elsewhere])).count == 1)
        #expect(SchemaValidation.validate(server, in: Snapshot([server, object(Kinds.mcpGroup, "g", spec: [:])])).isEmpty)
    }

    @Test func bareStringGroupRefIsAcceptedWithAWarning() {
        let server = object(Kinds.mcpServer, "s", spec: ["image": "i", "groupRef": "g"])
        let problems = SchemaValidation.validate(server, in: Snapshot([server, object(Kinds.mcpGroup, "g", spec: [:])]))
        #expect(problems.map(\.severity) == [.warning])
        #expect(problems.first?.fieldPath == "spec.groupRef")
        #expect(problems.first?.message.contains("old v1alpha1") == true)
        // ... and the reference is still checked in that form.
        let alone = SchemaValidation.validate(server, in: Snapshot([server]))
        #expect(alone.map(\.message).contains { $0.hasPrefix(#"MCPGroup "g" not found"#) })
    }

    @Test func virtualMCPServerReferences() {
        let vmcp = object(Kinds.virtualMCPServer, "v", spec: [
            "groupRef": ["name": "g"], "incomingAuth": ["type": "oidc", "oidcConfigRef": ["name": "o", "audience": "a"]],
            "outgoingAuth": ["source": "inline", "default": ["type": "externalAuthConfigRef", "externalAuthConfigRef": ["name": "d"]],
                             "backends": ["gh": ["type": "externalAuthConfigRef", "externalAuthConfigRef": ["name": "b"]]]],
            "config": ["compositeToolRefs": [["name": "wf"]], "aggregation": ["tools": [["workload": "w", "toolConfigRef": ["name": "tc"]]]]],
            "embeddingServerRef": ["name": "emb"], "telemetryConfigRef": ["name": "tel"],
        ])
        let present = [object(Kinds.mcpGroup, "g", spec: [:]), object(Kinds.mcpToolConfig, "tc", spec: [:])]
        let found = SchemaValidation.validate(vmcp, in: Snapshot([vmcp] + present))
        #expect(found.allSatisfy { $0.severity == .warning })
        #expect(found.map(\.fieldPath) == [
            "spec.config.compositeToolRefs[0].name",
            "spec.embeddingServerRef.name",
            "spec.incomingAuth.oidcConfigRef.name",
            "spec.outgoingAuth.backends.gh.externalAuthConfigRef.name",
            "spec.outgoingAuth.default.externalAuthConfigRef.name",
            "spec.telemetryConfigRef.name",
        ])
    }

    @Test func statusIsValidatedUnlessLeftOut() {
        var group = object(Kinds.mcpGroup, "g", spec: [:])
        group.status = ["phase": "Bogus", "conditions": [["type": "MCPServersChecked", "status": "True"]]]
        #expect(lines(SchemaValidation.validateSchema(group)) == [
            "error MCPGroup/team/g: status.conditions[0].lastTransitionTime: Required value",
            "error MCPGroup/team/g: status.conditions[0].message: Required value",
            "error MCPGroup/team/g: status.conditions[0].reason: Required value",
            #"error MCPGroup/team/g: status.phase: Unsupported value: "Bogus": supported values: "Ready", "Pending", "Failed""#,
        ])
        #expect(SchemaValidation.validateSchema(group, includeStatus: false).isEmpty)
    }

    @Test func unknownTopLevelFieldsAreWarnings() {
        var group = object(Kinds.mcpGroup, "g", spec: ["description": "d", "members": ["a"]])
        group.root["data"] = ["x": "y"]
        #expect(SchemaValidation.validateSchema(group).map { "\($0.severity.rawValue) \($0.fieldPath)" } == [
            "warning data", "warning spec.members",
        ])
    }

    @Test func positionsFallBackToTheNearestRecordedParent() {
        let p = ValidationProblem(object: ObjectKey(Kinds.mcpServer, namespace: "a", name: "b"), fieldPath: "spec.env[1].value", message: "Required value", severity: .error)
        let doc = SourcePosition(line: 1, column: 1)
        let positions = [
            "spec": SourcePosition(line: 5, column: 1),
            "spec.env[1]": SourcePosition(line: 9, column: 5),
            "items[2].spec.env[1].value": SourcePosition(line: 40, column: 14),
        ]
        #expect(p.position(in: positions, fallback: doc) == SourcePosition(line: 9, column: 5))
        #expect(p.position(in: positions, prefix: "items[2]", fallback: doc) == SourcePosition(line: 40, column: 14))
        #expect(p.position(in: [:], fallback: doc) == doc)
    }

    @Test func defaultedAppliesTheKindsDefaults() {
        let server = object(Kinds.mcpServer, "s", spec: ["image": "i", "sessionStorage": ["provider": "redis", "address": "r:1"]])
        let spec = SchemaValidation.defaulted(server).spec
        #expect(spec["transport"] == "stdio")
        #expect(spec["proxyMode"] == "streamable-http")
        #expect(spec["proxyPort"] == 8080)
        #expect(spec["sessionAffinity"] == "ClientIP")
        #expect(spec["trustProxyHeaders"] == false)
        #expect(spec[path: "sessionStorage.db"] == 0)
        #expect(spec["authzConfig"] == nil)
        #expect(spec["mcpPort"] == nil)
        let vmcp = object(Kinds.virtualMCPServer, "v", spec: ["groupRef": ["name": "g"], "incomingAuth": ["type": "anonymous"], "outgoingAuth": [:], "config": ["aggregation": [:]]])
        let vspec = SchemaValidation.defaulted(vmcp).spec
        #expect(vspec[path: "outgoingAuth.source"] == "discovered")
        #expect(vspec[path: "config.aggregation.conflictResolution"] == "prefix")
        #expect(vspec["serviceType"] == "ClusterIP")
    }
}

/// The validator's field paths and the YAML reader's recorded positions agree, so every problem
/// points at its line.
@Suite struct ValidationPositionTests {
    @Test func problemsPointAtTheirLines() throws {
        let text = """
        apiVersion: toolhive.stacklok.dev/v1beta1
        kind: VirtualMCPServer
        metadata:
          name: v
          namespace: team
        spec:
          groupRef:
            name: g
          incomingAuth:
            type: oidc
          outgoingAuth:
            backends:
              github:
                type: external_auth_config_ref
          config:
            aggregation:
              tools:
                - workload: a
                - filter: [x]
        """
        let doc = try #require(try YAMLReader.parseStream(text, recordPositions: true).first)
        let object = try #require(KubeObject(doc.value))
        let lines = SchemaValidation.validateSchema(object).map { "\($0.position(in: doc.fieldPositions, fallback: doc.position).line) \($0.fieldPath)" }
        #expect(lines == [
            "19 spec.config.aggregation.tools[1].workload",  // missing: points at the list item
            "9 spec.incomingAuth",
            "14 spec.outgoingAuth.backends.github.type",
        ])
    }
}
