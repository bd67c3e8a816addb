/// VirtualMCPServer (spec B §1.1–§1.4). `spec.config` is the embedded vMCP config: typed where the
/// CRD types it, and preserving unknown fields.
enum VirtualMCPServerSchema {
    static let kind = KindSchema(
        Kinds.virtualMCPServer, plural: "virtualmcpservers", shortNames: ["vmcp", "virtualmcp"],
        columns: [
            PrinterColumn("Phase", "string", ".status.phase"), PrinterColumn("URL", "string", ".status.url"),
            PrinterColumn("Backends", "integer", ".status.backendCount"), .age, .condition("Ready", type: "Ready"),
        ],
        spec: spec, status: status,
        references: [
            ReferenceRule("spec.groupRef.name", Kinds.mcpGroup),
            ReferenceRule("spec.config.groupRef", Kinds.mcpGroup),
            ReferenceRule("spec.config.compositeToolRefs[].name", Kinds.compositeToolDefinition),
            ReferenceRule("spec.config.aggregation.tools[].toolConfigRef.name", Kinds.mcpToolConfig),
            ReferenceRule("spec.outgoingAuth.default.externalAuthConfigRef.name", Kinds.mcpExternalAuthConfig),
            ReferenceRule("spec.outgoingAuth.backends{}.externalAuthConfigRef.name", Kinds.mcpExternalAuthConfig),
            ReferenceRule("spec.incomingAuth.oidcConfigRef.name", Kinds.mcpOIDCConfig),
            ReferenceRule("spec.incomingAuth.authzConfigRef.name", Kinds.mcpAuthzConfig),
            ReferenceRule("spec.telemetryConfigRef.name", Kinds.mcpTelemetryConfig),
            ReferenceRule("spec.embeddingServerRef.name", Kinds.embeddingServer),
        ])

    static let spec: SchemaNode = .object([
        "authServerConfig": SharedSchemas.embeddedAuthServer,
        "config": .object([
            "aggregation": .object([
                "conflictResolution": .string.enumOf("prefix", "priority", "manual").def("prefix"),
                "conflictResolutionConfig": .object([
                    "prefixFormat": .string.def("{workload}_"),
                    "priorityOrder": .list(.string),
                ]),
                "defaultToolVisibility": .string.enumOf("allow", "deny"),
                "excludeAllTools": .boolean,
                "tools": .list(.object([
                    "excludeAll": .boolean,
                    "filter": .list(.string),
                    "overrides": SharedSchemas.toolOverride,
                    "toolConfigRef": .object([
                        "name": .string.req,
                    ]),
                    "workload": .string.req,
                ])),
            ]),
            "audit": .object([
                "component": .string,
                "detectApplicationErrors": .boolean.def(true),
                "enabled": .boolean.def(false),
                "eventTypes": .list(.string),
                "excludeEventTypes": .list(.string),
                "includeRequestData": .boolean.def(false),
                "includeResponseData": .boolean.def(false),
                "logFile": .string,
                "maxDataSize": .integer.def(1024),
                "maxDelegationDepth": .integer.def(10).min(1),
            ]),
            "backends": .list(.object([
                "caBundlePath": .string,
                "metadata": .map(.string),
                "name": .string.req,
                "transport": .string.enumOf("sse", "streamable-http").req,
                "type": .string.enumOf("entry", ""),
                "url": .string.pattern(#"^https?://"#).req,
            ])),
            "codeMode": .object([
                "enabled": .boolean,
                "parallelMaxConcurrency": .integer.def(10).min(1),
                "stepLimit": .int64.def(100000).min(1),
                "toolCallTimeout": .duration.def("30s"),
            ]),
            "compositeToolRefs": .list(.object([
                "name": .string.req,
            ])),
            "compositeTools": .list(SharedSchemas.compositeToolSpec),
            "groupRef": .string,
            "incomingAuth": .object([
                "authz": .object([
                    "entitiesJson": .string,
                    "groupClaimName": .string,
                    "groupEntityType": .string,
                    "policies": .list(.string),
                    "primaryUpstreamProvider": .string,
                    "roleClaimName": .string,
                    "type": .string.req,
                ]),
                "oidc": .object([
                    "audience": .string.req,
                    "caBundlePath": .string,
                    "clientId": .string.req,
                    "clientSecretEnv": .string,
                    "insecureAllowHttp": .boolean,
                    "introspectionUrl": .string,
                    "issuer": .string.pattern(#"^https?://"#).req,
                    "jwksAllowPrivateIp": .boolean,
                    "jwksUrl": .string,
                    "protectedResourceAllowPrivateIp": .boolean,
                    "resource": .string,
                    "scopes": .list(.string),
                ]),
                "type": .string.req,
            ]),
            "metadata": .map(.string),
            "name": .string,
            "operational": .object([
                "failureHandling": .object([
                    "circuitBreaker": .object([
                        "enabled": .boolean.def(false),
                        "failureThreshold": .integer.def(5).min(1),
                        "timeout": .duration.def("60s")
                            .rule(#"self == '' || duration(self) >= duration('1s')"#,
                                  "timeout must be >= 1s") { s in GoDuration.atLeast(s.value.stringValue, seconds: 1, emptyAllowed: true) },
                    ]),
                    "healthCheckInterval": .duration.def("30s"),
                    "healthCheckTimeout": .duration.def("10s"),
                    "partialFailureMode": .string.enumOf("fail", "best_effort").def("fail"),
                    "statusReportingInterval": .duration.def("30s"),
                    "unhealthyThreshold": .integer.def(3),
                ]),
                "logLevel": .string.enumOf("debug"),
                "timeouts": .object([
                    "default": .duration.def("30s"),
                    "perWorkload": .map(.duration),
                ]),
            ]),
            "optimizer": .object([
                "embeddingHeaders": .map(.string.pattern(#"^[^\x00-\x08\x0A-\x1F\x7F]*$"#).minLen(1).maxLen(8192)).maxProps(32),
                "embeddingModel": .string,
                "embeddingProvider": .string.enumOf("tei", "openai").def("tei"),
                "embeddingService": .string,
                "embeddingServiceTimeout": .duration.def("30s"),
                "hybridSearchSemanticRatio": .string.pattern(#"^([0-9]*[.])?[0-9]+$"#),
                "maxToolsToReturn": .integer.range(1...50),
                "semanticDistanceThreshold": .string.pattern(#"^([0-9]*[.])?[0-9]+$"#),
            ])
                .rule(#"!has(self.embeddingHeaders) || (has(self.embeddingProvider) && self.embeddingProvider == 'openai')"#,
                      "embeddingHeaders is only supported when embeddingProvider is 'openai'") { s in !s.has("embeddingHeaders") || s.string("embeddingProvider") == "openai" }
                .rule(#"!has(self.embeddingHeaders) || self.embeddingHeaders.all(k, k.matches('^[!#$%&\\x27*+.^_\\x60|~0-9A-Za-z-]+$') && !(k.lowerAscii() in ['authorization', 'content-type']))"#,
                      "embeddingHeaders names must be valid HTTP header names and must not include Authorization or Content-Type") { s in s.keys("embeddingHeaders").allSatisfy { SharedSchemas.isHTTPHeaderName($0) && !["authorization", "content-type"].contains($0.lowercased()) } },
            "outgoingAuth": .object([
                "backends": .map(backendAuthStrategy),
                "default": backendAuthStrategy,
                "source": .string.req,
            ]),
            "passthroughHeaders": .list(.string).atomic,
            "rateLimiting": SharedSchemas.rateLimiting,
            "sessionStorage": .object([
                "address": .string,
                "db": .int32.def(0).min(0),
                "keyPrefix": .string,
                "provider": .string.enumOf("memory", "redis").req,
            ]),
            "telemetry": .object([
                "caCertPath": .string,
                "customAttributes": .map(.string),
                "enablePrometheusMetricsPath": .boolean.def(false),
                "endpoint": .string,
                "environmentVariables": .list(.string),
                "headers": .map(.string),
                "insecure": .boolean.def(false),
                "metricsEnabled": .boolean.def(false),
                "metricsOnTransportPort": .boolean,
                "prometheusPort": .integer,
                "samplingRate": .string.def("0.05"),
                "serviceName": .string,
                "serviceVersion": .string,
                "tracingEnabled": .boolean.def(false),
                "useLegacyAttributes": .boolean.def(true),
            ]),
        ]).preserveUnknown,
        "embeddingServerRef": .object([
            "name": .string.req,
        ]),
        "groupRef": .object([
            "name": .string.minLen(1).req,
        ]).req,
        "imagePullSecrets": SharedSchemas.localObjectReferences,
        "incomingAuth": .object([
            "authzConfig": SharedSchemas.authzConfig,
            "authzConfigRef": .object([
                "name": .string.minLen(1).req,
            ]),
            "oidcConfigRef": SharedSchemas.oidcConfigRef,
            "type": .string.enumOf("anonymous", "oidc").req,
        ])
            .rule(#"self.type == 'oidc' ? has(self.oidcConfigRef) : true"#,
                  "spec.incomingAuth.oidcConfigRef is required when type is oidc") { s in s.string("type") != "oidc" || s.has("oidcConfigRef") }
            .rule(#"!(has(self.authzConfig) && has(self.authzConfigRef))"#,
                  "authzConfig and authzConfigRef are mutually exclusive; use authzConfigRef to reference a shared MCPAuthzConfig") { s in !(s.has("authzConfig") && s.has("authzConfigRef")) }.req,
        "outgoingAuth": .object([
            "backends": .map(backendAuthRef),
            "default": backendAuthRef,
            "source": .string.enumOf("discovered", "inline").def("discovered"),
        ]),
        "passthroughHeaders": .list(.string).atomic,
        "podTemplateSpec": .freeform,
        "replicas": .int32.min(0),
        "serviceAccount": .string,
        "serviceType": .string.enumOf("ClusterIP", "NodePort", "LoadBalancer").def("ClusterIP"),
        "sessionAffinity": .string.enumOf("ClientIP", "None").def("ClientIP"),
        "sessionStorage": SharedSchemas.sessionStorage,
        "telemetryConfigRef": SharedSchemas.telemetryConfigRef,
    ])
        .rule(#"!has(self.config) || !has(self.config.rateLimiting) || (has(self.sessionStorage) && self.sessionStorage.provider == 'redis')"#,
              "config.rateLimiting requires sessionStorage with provider 'redis'") { s in !s.has("config.rateLimiting") || s.string("sessionStorage.provider") == "redis" }
        .rule(#"!(has(self.config) && has(self.config.rateLimiting) && has(self.config.rateLimiting.perUser)) || (has(self.incomingAuth) && self.incomingAuth.type == 'oidc')"#,
              "config.rateLimiting.perUser requires incomingAuth.type oidc") { s in !s.has("config.rateLimiting.perUser") || s.string("incomingAuth.type") == "oidc" }
        .rule(#"!has(self.config) || !has(self.config.rateLimiting) || !has(self.config.rateLimiting.tools) || self.config.rateLimiting.tools.all(t, !has(t.perUser)) || (has(self.incomingAuth) && self.incomingAuth.type == 'oidc')"#,
              "per-tool perUser rate limiting requires incomingAuth.type oidc") { s in s.list("config.rateLimiting.tools").allSatisfy { !$0.has("perUser") } || s.string("incomingAuth.type") == "oidc" }
        .rule(#"!(has(self.embeddingServerRef) && has(self.config) && has(self.config.optimizer) && has(self.config.optimizer.embeddingProvider) && self.config.optimizer.embeddingProvider == 'openai')"#,
              "embeddingServerRef provisions a managed TEI server and cannot be combined with optimizer.embeddingProvider 'openai'; openai mode uses embeddingService directly") { s in !(s.has("embeddingServerRef") && s.string("config.optimizer.embeddingProvider") == "openai") }

    static let status: SchemaNode = .object([
        "authzConfigHash": .string,
        "backendCount": .int32,
        "conditions": SharedSchemas.conditions,
        "discoveredBackends": .list(.object([
            "authConfigRef": .string,
            "authType": .string,
            "circuitBreakerState": .string.enumOf("closed", "open", "half-open"),
            "circuitLastChanged": .dateTime,
            "consecutiveFailures": .integer,
            "lastHealthCheck": .dateTime,
            "mcpRevision": .string,
            "message": .string,
            "name": .string.req,
            "status": .string,
            "url": .string,
        ])).listMap("name"),
        "message": .string,
        "observedGeneration": .int64,
        "oidcConfigHash": .string,
        "phase": .string.enumOf("Pending", "Ready", "Degraded", "Failed").def("Pending"),
        "telemetryConfigHash": .string,
        "url": .string,
    ])

    private static let backendAuthStrategy: SchemaNode = .object([
        "awsSts": .object([
            "fallbackRoleArn": .string,
            "region": .string.req,
            "roleClaim": .string,
            "roleMappings": .list(.object([
                "claim": .string,
                "matcher": .string,
                "priority": .integer,
                "roleArn": .string.req,
            ])).atomic,
            "service": .string,
            "sessionDuration": .int32,
            "sessionNameClaim": .string,
            "subjectProviderName": .string,
        ]),
        "headerInjection": .object([
            "headerName": .string.req,
            "headerValue": .string,
            "headerValueEnv": .string,
        ]),
        "obo": .object([
            "audience": .string,
            "cacheSkewSeconds": .int32,
            "clientId": .string,
            "clientSecret": .string,
            "clientSecretEnv": .string,
            "scopes": .list(.string).atomic,
            "subjectTokenProviderName": .string,
            "tokenUrl": .string.req,
        ]),
        "tokenExchange": .object([
            "audience": .string,
            "clientId": .string,
            "clientSecret": .string,
            "clientSecretEnv": .string,
            "scopes": .list(.string).atomic,
            "subjectProviderName": .string,
            "subjectTokenType": .string,
            "tokenUrl": .string.req,
        ]),
        "type": .string.req,
        "upstreamInject": .object([
            "providerName": .string.req,
        ]),
        "xaa": .object([
            "idpClientId": .string,
            "idpClientSecret": .string,
            "idpClientSecretEnv": .string,
            "idpTokenUrl": .string.req,
            "insecureTargetTokenUrl": .boolean,
            "scopes": .list(.string).atomic,
            "subjectProviderName": .string,
            "subjectTokenType": .string,
            "targetAudience": .string.req,
            "targetClientId": .string,
            "targetClientSecret": .string,
            "targetClientSecretEnv": .string,
            "targetResource": .string,
            "targetTokenUrl": .string.req,
        ]),
    ])

    private static let backendAuthRef: SchemaNode = .object([
        "externalAuthConfigRef": .object([
            "name": .string.req,
        ]),
        "type": .string.enumOf("discovered", "externalAuthConfigRef").req,
    ])
}
