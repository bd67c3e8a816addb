/// MCPServer (spec A §2.1–§2.2). `groupRef` also accepts the old bare string (APRIL) with a warning.
enum MCPServerSchema {
    static let kind = KindSchema(
        Kinds.mcpServer, plural: "mcpservers", shortNames: ["mcpserver", "mcpservers"],
        columns: PrinterColumn.workload,
        spec: spec, status: status,
        references: [
            ReferenceRule("spec.groupRef", Kinds.mcpGroup),
            ReferenceRule("spec.groupRef.name", Kinds.mcpGroup),
            ReferenceRule("spec.toolConfigRef.name", Kinds.mcpToolConfig),
            ReferenceRule("spec.externalAuthConfigRef.name", Kinds.mcpExternalAuthConfig),
            ReferenceRule("spec.authServerRef.name", Kinds.mcpExternalAuthConfig),
            ReferenceRule("spec.oidcConfigRef.name", Kinds.mcpOIDCConfig),
            ReferenceRule("spec.authzConfigRef.name", Kinds.mcpAuthzConfig),
            ReferenceRule("spec.telemetryConfigRef.name", Kinds.mcpTelemetryConfig),
            ReferenceRule("spec.webhookConfigRef.name", Kinds.mcpWebhookConfig),
        ])

    static let spec: SchemaNode = .object([
        "args": .list(.string).atomic,
        "audit": .object([
            "enabled": .boolean.def(false),
        ]),
        "authServerRef": .object([
            "kind": .string.enumOf("MCPExternalAuthConfig").def("MCPExternalAuthConfig").req,
            "name": .string.minLen(1).req,
        ]),
        "authzConfig": SharedSchemas.authzConfig,
        "authzConfigRef": .object([
            "name": .string.minLen(1).req,
        ]),
        "backendReplicas": .int32.min(0),
        "endpointPrefix": .string,
        "env": envVar,
        "externalAuthConfigRef": .object([
            "name": .string.req,
        ]),
        "groupRef": .object([
            "name": .string.minLen(1).req,
        ]).acceptingLegacyString(warning: "a bare-string groupRef is the old v1alpha1 (APRIL) form, which the current CRD rejects; write groupRef: {name: ...}"),
        "image": .string.req,
        "mcpPort": .int32.range(1...65535),
        "oidcConfigRef": SharedSchemas.oidcConfigRef,
        "permissionProfile": .object([
            "key": .string,
            "name": .string.req,
            "type": .string.enumOf("builtin", "configmap").def("builtin").req,
        ]),
        "podTemplateSpec": .freeform,
        "proxyMode": .string.enumOf("sse", "streamable-http").def("streamable-http"),
        "proxyPort": .int32.def(8080).range(1...65535),
        "rateLimiting": SharedSchemas.rateLimiting,
        "replicas": .int32.min(0),
        "resourceOverrides": .object([
            "proxyDeployment": .object([
                "annotations": .map(.string),
                "env": envVar,
                "imagePullSecrets": SharedSchemas.localObjectReferences,
                "labels": .map(.string),
                "podTemplateMetadataOverrides": labelsAndAnnotations,
            ]),
            "proxyService": labelsAndAnnotations,
        ]),
        "resources": .object([
            "limits": cpuMemory,
            "requests": cpuMemory,
        ]),
        "secrets": .list(.object([
            "key": .string.req,
            "name": .string.req,
            "targetEnvName": .string,
        ])).listMap("name"),
        "serviceAccount": .string,
        "sessionAffinity": .string.enumOf("ClientIP", "None").def("ClientIP"),
        "sessionStorage": SharedSchemas.sessionStorage,
        "telemetryConfigRef": SharedSchemas.telemetryConfigRef,
        "toolConfigRef": .object([
            "name": .string.req,
        ]),
        "transport": .string.enumOf("stdio", "streamable-http", "sse").def("stdio"),
        "trustProxyHeaders": .boolean.def(false),
        "volumes": .list(.object([
            "hostPath": .string.req,
            "mountPath": .string.req,
            "name": .string.req,
            "readOnly": .boolean.def(false),
        ])).listMap("name"),
        "webhookConfigRef": .object([
            "name": .string.req,
        ]),
    ])
        .rule(#"!(has(self.authzConfig) && has(self.authzConfigRef))"#,
              "authzConfig and authzConfigRef are mutually exclusive; use authzConfigRef to reference a shared MCPAuthzConfig") { s in !(s.has("authzConfig") && s.has("authzConfigRef")) }
        .rule(#"!has(self.rateLimiting) || (has(self.sessionStorage) && self.sessionStorage.provider == 'redis')"#,
              "rateLimiting requires sessionStorage with provider 'redis'") { s in !s.has("rateLimiting") || s.string("sessionStorage.provider") == "redis" }
        .rule(#"!(has(self.rateLimiting) && has(self.rateLimiting.perUser)) || has(self.oidcConfigRef) || has(self.externalAuthConfigRef)"#,
              "rateLimiting.perUser requires authentication (oidcConfigRef or externalAuthConfigRef)") { s in !s.has("rateLimiting.perUser") || s.has("oidcConfigRef") || s.has("externalAuthConfigRef") }
        .rule(#"!has(self.rateLimiting) || !has(self.rateLimiting.tools) || self.rateLimiting.tools.all(t, !has(t.perUser)) || has(self.oidcConfigRef) || has(self.externalAuthConfigRef)"#,
              "per-tool perUser rate limiting requires authentication (oidcConfigRef or externalAuthConfigRef)") { s in s.list("rateLimiting.tools").allSatisfy { !$0.has("perUser") } || s.has("oidcConfigRef") || s.has("externalAuthConfigRef") }

    static let status: SchemaNode = .object([
        "authServerConfigHash": .string,
        "authzConfigHash": .string,
        "conditions": SharedSchemas.conditions,
        "externalAuthConfigHash": .string,
        "message": .string,
        "observedGeneration": .int64,
        "oidcConfigHash": .string,
        "phase": .string.enumOf("Pending", "Ready", "Failed", "Terminating", "Stopped"),
        "readyReplicas": .int32,
        "telemetryConfigHash": .string,
        "toolConfigHash": .string,
        "url": .string,
        "webhookConfigHash": .string,
    ])

    private static let labelsAndAnnotations: SchemaNode = .object([
        "annotations": .map(.string),
        "labels": .map(.string),
    ])

    private static let envVar: SchemaNode = .list(.object([
        "name": .string.req,
        "value": .string.req,
    ])).listMap("name")

    private static let cpuMemory: SchemaNode = .object([
        "cpu": .string,
        "memory": .string,
    ])
}
