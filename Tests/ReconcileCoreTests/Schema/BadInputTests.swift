import Testing
@testable import ReconcileCore

/// One bad input: a spec (merged over a valid base spec for its kind) and the error it must give.
struct BadInput: Sendable, CustomTestStringConvertible {
    var kind: GroupKind
    var spec: Value
    /// `FIELD_PATH: MESSAGE` of the error that must be among the object's errors.
    var expected: String
    var testDescription: String { "\(kind.kind) \(expected)" }

    init(_ kind: GroupKind, _ spec: Value, _ expected: String) {
        self.kind = kind
        self.spec = spec
        self.expected = expected
    }

    static let validBase: [GroupKind: Value] = [
        Kinds.mcpServer: ["image": "ghcr.io/example/server:1"],
        Kinds.mcpRegistry: ["configYAML": "registryName: r\n"],
        Kinds.virtualMCPServer: ["groupRef": ["name": "g"], "incomingAuth": ["type": "anonymous"]],
        Kinds.mcpExternalAuthConfig: ["type": "unauthenticated"],
        Kinds.compositeToolDefinition: ["name": "wf", "steps": [["id": "a", "tool": "w.t"]]],
    ]

    /// The base spec with `spec`'s top-level fields laid over it (a null removes a field).
    var object: KubeObject {
        var merged = Self.validBase[kind]?.objectValue ?? OrderedMap()
        for (k, v) in spec.objectValue ?? OrderedMap() { merged[k] = v.isNull ? nil : v }
        var o = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: kind.kind, namespace: "default", name: "x")
        o.spec = .object(merged)
        return o
    }

    func errors() -> [String] {
        SchemaValidation.validateSchema(object).filter { $0.severity == .error }.map { "\($0.fieldPath): \($0.message)" }
    }
}

@Suite struct BadInputTests {
    /// Spec A §5.1, MCPServer: every item of the list.
    static let mcpServer: [BadInput] = [
        BadInput(Kinds.mcpServer, ["image": nil, "transport": "sse"], "spec.image: Required value"),
        BadInput(Kinds.mcpServer, ["transport": "websocket"], #"spec.transport: Unsupported value: "websocket": supported values: "stdio", "streamable-http", "sse""#),
        BadInput(Kinds.mcpServer, ["proxyMode": "stdio"], #"spec.proxyMode: Unsupported value: "stdio": supported values: "sse", "streamable-http""#),
        BadInput(Kinds.mcpServer, ["proxyPort": 0], "spec.proxyPort: Invalid value: 0: spec.proxyPort in body should be greater than or equal to 1"),
        BadInput(Kinds.mcpServer, ["proxyPort": 70000], "spec.proxyPort: Invalid value: 70000: spec.proxyPort in body should be less than or equal to 65535"),
        BadInput(Kinds.mcpServer, ["mcpPort": 0], "spec.mcpPort: Invalid value: 0: spec.mcpPort in body should be greater than or equal to 1"),
        BadInput(Kinds.mcpServer, ["replicas": -1], "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        BadInput(Kinds.mcpServer, ["backendReplicas": -1], "spec.backendReplicas: Invalid value: -1: spec.backendReplicas in body should be greater than or equal to 0"),
        BadInput(Kinds.mcpServer, ["sessionAffinity": "Sticky"], #"spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None""#),
        BadInput(Kinds.mcpServer, ["groupRef": [:]], "spec.groupRef.name: Required value"),
        BadInput(Kinds.mcpServer, ["groupRef": ["name": ""]], #"spec.groupRef.name: Invalid value: "": spec.groupRef.name in body should be at least 1 chars long"#),
        BadInput(Kinds.mcpServer, ["env": [["name": "A"]]], "spec.env[0].value: Required value"),
        BadInput(Kinds.mcpServer, ["secrets": [["name": "s"]]], "spec.secrets[0].key: Required value"),
        BadInput(Kinds.mcpServer, ["volumes": [["name": "v", "hostPath": "/x"]]], "spec.volumes[0].mountPath: Required value"),
        BadInput(Kinds.mcpServer, ["permissionProfile": ["type": "other", "name": "x"]], #"spec.permissionProfile.type: Unsupported value: "other": supported values: "builtin", "configmap""#),
        BadInput(Kinds.mcpServer, ["authzConfig": ["type": "inline"]], #"spec.authzConfig: Invalid value: "object": inline must be set when type is 'inline', and must not be set otherwise"#),
        BadInput(Kinds.mcpServer, ["authzConfig": ["inline": ["policies": ["permit(principal, action, resource);"]]]], #"spec.authzConfig: Invalid value: "object": configMap must be set when type is 'configMap', and must not be set otherwise"#),
        BadInput(Kinds.mcpServer, ["authzConfig": ["type": "inline", "inline": ["policies": []]]], "spec.authzConfig.inline.policies: Invalid value: 0: spec.authzConfig.inline.policies in body should have at least 1 items"),
        BadInput(Kinds.mcpServer, ["authzConfig": ["type": "configMap", "configMap": ["name": "c"]], "authzConfigRef": ["name": "a"]], #"spec: Invalid value: "object": authzConfig and authzConfigRef are mutually exclusive; use authzConfigRef to reference a shared MCPAuthzConfig"#),
        BadInput(Kinds.mcpServer, ["oidcConfigRef": ["name": "x"]], "spec.oidcConfigRef.audience: Required value"),
        BadInput(Kinds.mcpServer, ["sessionStorage": ["provider": "redis"]], #"spec.sessionStorage: Invalid value: "object": address is required"#),
        BadInput(Kinds.mcpServer, ["sessionStorage": ["provider": "memory", "db": -1]], "spec.sessionStorage.db: Invalid value: -1: spec.sessionStorage.db in body should be greater than or equal to 0"),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["shared": ["maxTokens": 10, "refillPeriod": "1m"]]], #"spec: Invalid value: "object": rateLimiting requires sessionStorage with provider 'redis'"#),
        BadInput(Kinds.mcpServer, ["rateLimiting": [:], "sessionStorage": ["provider": "redis", "address": "r:6379"]], #"spec.rateLimiting: Invalid value: "object": at least one of shared, perUser, or tools must be configured"#),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["perUser": ["maxTokens": 5, "refillPeriod": "1m"]], "sessionStorage": ["provider": "redis", "address": "r:6379"]], #"spec: Invalid value: "object": rateLimiting.perUser requires authentication (oidcConfigRef or externalAuthConfigRef)"#),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["tools": [["name": "t", "perUser": ["maxTokens": 5, "refillPeriod": "1m"]]]], "sessionStorage": ["provider": "redis", "address": "r:6379"]], #"spec: Invalid value: "object": per-tool perUser rate limiting requires authentication (oidcConfigRef or externalAuthConfigRef)"#),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["tools": [["name": "t"]]], "sessionStorage": ["provider": "redis", "address": "r:6379"]], #"spec.rateLimiting.tools[0]: Invalid value: "object": at least one of shared or perUser must be configured"#),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["shared": ["maxTokens": 0]], "sessionStorage": ["provider": "redis", "address": "r:6379"]], "spec.rateLimiting.shared.refillPeriod: Required value"),
        BadInput(Kinds.mcpServer, ["rateLimiting": ["shared": ["maxTokens": 0, "refillPeriod": "1m"]], "sessionStorage": ["provider": "redis", "address": "r:6379"]], "spec.rateLimiting.shared.maxTokens: Invalid value: 0: spec.rateLimiting.shared.maxTokens in body should be greater than or equal to 1"),
        BadInput(Kinds.mcpServer, ["authServerRef": ["kind": "Foo", "name": "x"]], #"spec.authServerRef.kind: Unsupported value: "Foo": supported values: "MCPExternalAuthConfig""#),
        BadInput(Kinds.mcpServer, ["authServerRef": ["name": ""]], #"spec.authServerRef.name: Invalid value: "": spec.authServerRef.name in body should be at least 1 chars long"#),
        BadInput(Kinds.mcpServer, ["proxyPort": "8080"], #"spec.proxyPort: Invalid value: "string": spec.proxyPort in body must be of type integer: "string""#),
    ]

    /// Spec A §5.1, MCPGroup and MCPRegistry (LATEST).
    static let groupAndRegistry: [BadInput] = [
        BadInput(Kinds.mcpGroup, ["description": 5], #"spec.description: Invalid value: "integer": spec.description in body must be of type string: "integer""#),
        BadInput(Kinds.mcpRegistry, ["configYAML": nil, "displayName": "r"], "spec.configYAML: Required value"),
        BadInput(Kinds.mcpRegistry, ["configYAML": ""], #"spec.configYAML: Invalid value: "": spec.configYAML in body should be at least 1 chars long"#),
        BadInput(Kinds.mcpRegistry, ["pgpassSecretRef": ["name": "pg"]], "spec.pgpassSecretRef.key: Required value"),
        BadInput(Kinds.mcpRegistry, ["volumes": "x"], #"spec.volumes: Invalid value: "string": spec.volumes in body must be of type array: "string""#),
    ]

    /// Spec B §1.2–§1.3: VirtualMCPServer schema and CEL rules.
    static let virtualMCPServer: [BadInput] = [
        BadInput(Kinds.virtualMCPServer, ["groupRef": nil], "spec.groupRef: Required value"),
        BadInput(Kinds.virtualMCPServer, ["incomingAuth": nil], "spec.incomingAuth: Required value"),
        BadInput(Kinds.virtualMCPServer, ["groupRef": ["name": ""]], #"spec.groupRef.name: Invalid value: "": spec.groupRef.name in body should be at least 1 chars long"#),
        BadInput(Kinds.virtualMCPServer, ["incomingAuth": ["type": "oidc"]], #"spec.incomingAuth: Invalid value: "object": spec.incomingAuth.oidcConfigRef is required when type is oidc"#),
        BadInput(Kinds.virtualMCPServer, ["incomingAuth": ["type": "basic"]], #"spec.incomingAuth.type: Unsupported value: "basic": supported values: "anonymous", "oidc""#),
        BadInput(Kinds.virtualMCPServer, ["incomingAuth": ["type": "anonymous", "authzConfigRef": ["name": "a"], "authzConfig": ["configMap": ["name": "c"]]]], #"spec.incomingAuth: Invalid value: "object": authzConfig and authzConfigRef are mutually exclusive; use authzConfigRef to reference a shared MCPAuthzConfig"#),
        BadInput(Kinds.virtualMCPServer, ["incomingAuth": ["type": "anonymous", "authzConfig": ["type": "configMap"]]], #"spec.incomingAuth.authzConfig: Invalid value: "object": configMap must be set when type is 'configMap', and must not be set otherwise"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["rateLimiting": ["shared": ["maxTokens": 1, "refillPeriod": "1s"]]]], #"spec: Invalid value: "object": config.rateLimiting requires sessionStorage with provider 'redis'"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["rateLimiting": ["perUser": ["maxTokens": 1, "refillPeriod": "1s"]]], "sessionStorage": ["provider": "redis", "address": "r:1"]], #"spec: Invalid value: "object": config.rateLimiting.perUser requires incomingAuth.type oidc"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["rateLimiting": ["tools": [["name": "t", "perUser": ["maxTokens": 1, "refillPeriod": "1s"]]]]], "sessionStorage": ["provider": "redis", "address": "r:1"]], #"spec: Invalid value: "object": per-tool perUser rate limiting requires incomingAuth.type oidc"#),
        BadInput(Kinds.virtualMCPServer, ["embeddingServerRef": ["name": "e"], "config": ["optimizer": ["embeddingProvider": "openai"]]], #"spec: Invalid value: "object": embeddingServerRef provisions a managed TEI server and cannot be combined with optimizer.embeddingProvider 'openai'; openai mode uses embeddingService directly"#),
        BadInput(Kinds.virtualMCPServer, ["sessionStorage": ["provider": "redis"]], #"spec.sessionStorage: Invalid value: "object": address is required"#),
        BadInput(Kinds.virtualMCPServer, ["outgoingAuth": ["source": "static"]], #"spec.outgoingAuth.source: Unsupported value: "static": supported values: "discovered", "inline""#),
        BadInput(Kinds.virtualMCPServer, ["outgoingAuth": ["backends": ["gh": ["type": "external_auth_config_ref"]]]], #"spec.outgoingAuth.backends.gh.type: Unsupported value: "external_auth_config_ref": supported values: "discovered", "externalAuthConfigRef""#),
        BadInput(Kinds.virtualMCPServer, ["outgoingAuth": ["default": [:]]], "spec.outgoingAuth.default.type: Required value"),
        BadInput(Kinds.virtualMCPServer, ["serviceType": "ExternalName"], #"spec.serviceType: Unsupported value: "ExternalName": supported values: "ClusterIP", "NodePort", "LoadBalancer""#),
        BadInput(Kinds.virtualMCPServer, ["config": ["aggregation": ["conflictResolution": "first"]]], #"spec.config.aggregation.conflictResolution: Unsupported value: "first": supported values: "prefix", "priority", "manual""#),
        BadInput(Kinds.virtualMCPServer, ["config": ["aggregation": ["tools": [["filter": ["a"]]]]]], "spec.config.aggregation.tools[0].workload: Required value"),
        BadInput(Kinds.virtualMCPServer, ["config": ["operational": ["failureHandling": ["circuitBreaker": ["timeout": "500ms"]]]]], #"spec.config.operational.failureHandling.circuitBreaker.timeout: Invalid value: "string": timeout must be >= 1s"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["operational": ["timeouts": ["default": "1d"]]]], #"spec.config.operational.timeouts.default: Invalid value: "1d": spec.config.operational.timeouts.default in body should match '^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$'"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["optimizer": ["embeddingHeaders": ["X-Key": "v"]]]], #"spec.config.optimizer: Invalid value: "object": embeddingHeaders is only supported when embeddingProvider is 'openai'"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["optimizer": ["embeddingProvider": "openai", "embeddingHeaders": ["Authorization": "v"]]]], #"spec.config.optimizer: Invalid value: "object": embeddingHeaders names must be valid HTTP header names and must not include Authorization or Content-Type"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["optimizer": ["maxToolsToReturn": 51]]], "spec.config.optimizer.maxToolsToReturn: Invalid value: 51: spec.config.optimizer.maxToolsToReturn in body should be less than or equal to 50"),
        BadInput(Kinds.virtualMCPServer, ["config": ["backends": [["name": "b", "url": "tcp://x", "transport": "sse"]]]], #"spec.config.backends[0].url: Invalid value: "tcp://x": spec.config.backends[0].url in body should match '^https?://'"#),
        BadInput(Kinds.virtualMCPServer, ["config": ["compositeTools": [["name": "c", "steps": [["id": "s", "type": "loop"]]]]]], #"spec.config.compositeTools[0].steps[0].type: Unsupported value: "loop": supported values: "tool", "elicitation", "forEach""#),
        BadInput(Kinds.virtualMCPServer, ["replicas": -1], "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
    ]

    /// Spec B §8: the supporting kinds, and the embedded auth server shared with VirtualMCPServer.
    static let supporting: [BadInput] = [
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "tokenExchange"], #"spec: Invalid value: "object": tokenExchange configuration must be set if and only if type is 'tokenExchange'"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "bearerToken", "headerInjection": ["headerName": "X", "valueSecretRef": ["name": "s", "key": "k"]]], #"spec: Invalid value: "object": headerInjection configuration must be set if and only if type is 'headerInjection'"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "unauthenticated", "obo": [:]], #"spec: Invalid value: "object": no configuration must be set when type is 'unauthenticated'"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "oauth"], #"spec.type: Unsupported value: "oauth": supported values: "tokenExchange", "headerInjection", "bearerToken", "unauthenticated", "embeddedAuthServer", "awsSts", "upstreamInject", "obo", "xaa""#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "tokenExchange", "tokenExchange": ["tokenUrl": "https://t"]], "spec.tokenExchange.audience: Required value"),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "awsSts", "awsSts": ["region": "us-east-1", "sessionDuration": 60]], "spec.awsSts.sessionDuration: Invalid value: 60: spec.awsSts.sessionDuration in body should be greater than or equal to 900"),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "awsSts", "awsSts": ["region": "mars"]], #"spec.awsSts.region: Invalid value: "mars": spec.awsSts.region in body should match '^[a-z]{2}(-[a-z]+)+-\d+$'"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://auth.example.com", "upstreamProviders": [["name": "gh", "type": "oidc"]]]], #"spec.embeddedAuthServer.upstreamProviders[0]: Invalid value: "object": type must be 'oidc' or 'oauth2'; oidcConfig must be set when type is 'oidc' and oauth2Config must be set when type is 'oauth2' (and the other must not be set)"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://auth.example.com", "upstreamProviders": []]], "spec.embeddedAuthServer.upstreamProviders: Invalid value: 0: spec.embeddedAuthServer.upstreamProviders in body should have at least 1 items"),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://a.example.com", "upstreamProviders": [["name": "o", "type": "oauth2", "oauth2Config": ["authorizationEndpoint": "https://a/x", "tokenEndpoint": "https://a/t"]]]]], #"spec.embeddedAuthServer.upstreamProviders[0].oauth2Config: Invalid value: "object": exactly one of clientId or dcrConfig must be set"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "http://a.example.com", "insecureAllowHTTP": true, "allowConfidentialClientRegistration": true, "upstreamProviders": [["name": "gh", "type": "oidc", "oidcConfig": ["issuerUrl": "https://gh", "clientId": "c"]]]]], #"spec.embeddedAuthServer: Invalid value: "object": allowConfidentialClientRegistration cannot be combined with insecureAllowHTTP; client secrets would be issued in cleartext over an unauthenticated endpoint"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://a.example.com", "storage": ["type": "redis", "redis": ["aclUserConfig": ["passwordSecretRef": ["name": "r", "key": "p"]]]], "upstreamProviders": [["name": "gh", "type": "oidc", "oidcConfig": ["issuerUrl": "https://gh", "clientId": "c"]]]]], #"spec.embeddedAuthServer.storage.redis: Invalid value: "object": exactly one of addr or sentinelConfig must be set"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://a.example.com", "trustedIssuers": [["issuerUrl": "https://idp", "jwtBearerGrant": ["maxAssertionAge": "0s", "subjectBindings": [["subject": "a", "allowedResources": ["https://r"]], ["subject": "a", "allowedResources": ["https://r"]]]]]], "upstreamProviders": [["name": "gh", "type": "oidc", "oidcConfig": ["issuerUrl": "https://gh", "clientId": "c"]]]]], #"spec.embeddedAuthServer.trustedIssuers[0].jwtBearerGrant: Invalid value: "object": subjectBindings must not contain duplicate subjects"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://a.example.com", "trustedIssuers": [["issuerUrl": "https://idp", "jwtBearerGrant": ["maxAssertionAge": "0s", "subjectBindings": [["subject": "a", "allowedResources": ["https://r"]]]]]], "upstreamProviders": [["name": "gh", "type": "oidc", "oidcConfig": ["issuerUrl": "https://gh", "clientId": "c"]]]]], #"spec.embeddedAuthServer.trustedIssuers[0].jwtBearerGrant: Invalid value: "object": maxAssertionAge must be greater than zero"#),
        BadInput(Kinds.mcpExternalAuthConfig, ["type": "embeddedAuthServer", "embeddedAuthServer": ["issuer": "https://a.example.com", "trustedIssuers": [["issuerUrl": "https://idp", "actorClaim": "sub", "allowedDelegateClients": ["*", "c1"]]], "upstreamProviders": [["name": "gh", "type": "oidc", "oidcConfig": ["issuerUrl": "https://gh", "clientId": "c"]]]]], #"spec.embeddedAuthServer.trustedIssuers[0]: Invalid value: "object": allowedDelegateClients must not combine the wildcard "*" with specific client IDs"#),
        BadInput(Kinds.mcpToolConfig, ["toolsFilter": ["a", "a"]], #"spec.toolsFilter[1]: Duplicate value: "a""#),
        BadInput(Kinds.mcpToolConfig, ["toolsOverride": ["fetch": ["annotations": ["readOnlyHint": "yes"]]]], #"spec.toolsOverride.fetch.annotations.readOnlyHint: Invalid value: "string": spec.toolsOverride.fetch.annotations.readOnlyHint in body must be of type boolean: "string""#),
        BadInput(Kinds.compositeToolDefinition, ["steps": nil], "spec.steps: Required value"),
        BadInput(Kinds.compositeToolDefinition, ["steps": [["tool": "w.t"]]], "spec.steps[0].id: Required value"),
        BadInput(Kinds.compositeToolDefinition, ["steps": [["id": "a", "onError": ["action": "ignore"]]]], #"spec.steps[0].onError.action: Unsupported value: "ignore": supported values: "abort", "continue", "retry""#),
        BadInput(Kinds.compositeToolDefinition, ["timeout": "forever"], #"spec.timeout: Invalid value: "forever": spec.timeout in body should match '^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$'"#),
        BadInput(Kinds.compositeToolDefinition, ["output": ["properties": ["r": ["type": "date"]]]], #"spec.output.properties.r.type: Unsupported value: "date": supported values: "string", "integer", "number", "boolean", "object", "array""#),
    ]

    @Test(arguments: mcpServer + groupAndRegistry + virtualMCPServer + supporting)
    func isRejected(_ input: BadInput) {
        let errors = input.errors()
        #expect(errors.contains(input.expected), "got \(errors)")
    }

    @Test(arguments: Array(BadInput.validBase.keys.sorted()))
    func validBasesHaveNoProblems(_ kind: GroupKind) {
        #expect(BadInput(kind, [:], "").errors().isEmpty)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let input = BadInput(Kinds.mcpServer, ["image": nil, "transport": "websocket", "proxyPort": 0, "env": [["name": "A"]]], "")
        #expect(input.errors() == [
            "spec.env[0].value: Required value",
            "spec.image: Required value",
            "spec.proxyPort: Invalid value: 0: spec.proxyPort in body should be greater than or equal to 1",
            #"spec.transport: Unsupported value: "websocket": supported values: "stdio", "streamable-http", "sse""#,
        ])
    }

    @Test func aFullyConfiguredServerIsClean() {
        let input = BadInput(Kinds.mcpServer, [
            "transport": "streamable-http", "proxyPort": 8080, "mcpPort": 9000, "args": ["--x"],
            "env": [["name": "A", "value": "1"]], "secrets": [["name": "s", "key": "k", "targetEnvName": "TOKEN"]],
            "volumes": [["name": "v", "hostPath": "/h", "mountPath": "/m", "readOnly": true]],
            "resources": ["limits": ["cpu": "500m", "memory": "128Mi"]],
            "permissionProfile": ["type": "builtin", "name": "network"],
            "podTemplateSpec": ["spec": ["containers": [["name": "mcp", "resources": ["limits": ["cpu": 1]]]]]],
            "groupRef": ["name": "g"], "toolConfigRef": ["name": "t"], "externalAuthConfigRef": ["name": "e"],
            "oidcConfigRef": ["name": "o", "audience": "a"],
            "authzConfig": ["type": "inline", "inline": ["policies": ["permit(principal, action, resource);"]]],
            "sessionStorage": ["provider": "redis", "address": "redis:6379", "passwordRef": ["name": "r", "key": "p"]],
            "rateLimiting": ["perUser": ["maxTokens": 5, "refillPeriod": "1m"], "tools": [["name": "t", "shared": ["maxTokens": 1, "refillPeriod": "1s"]]]],
            "replicas": 2, "sessionAffinity": "None", "audit": ["enabled": true],
        ], "")
        #expect(SchemaValidation.validateSchema(input.object).isEmpty)
    }
}
