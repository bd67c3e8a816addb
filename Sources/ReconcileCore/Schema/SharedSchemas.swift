/// Sub-schemas more than one kind embeds (conditions, Secret references, rate limiting, the
/// embedded OAuth server, ...), and the few helpers their CEL rules need.
enum SharedSchemas {
    /// Claims the embedded auth server refuses as `actorClaim` (the CEL list).
    static let reservedActorClaims: Set<String> = ["sub", "iss", "aud", "exp", "iat", "nbf", "jti", "name", "email", "scope", "scp", "may_act"]

    /// True when a trusted issuer names its actor some way (claim, matcher or may_act).
    static func namesActor(_ s: RuleSubject) -> Bool {
        s.nonEmpty("actorClaim") || s.nonEmpty("actorMatcher") || s.isTrue("allowMayAct")
    }

    static func isUnique(_ items: [String]) -> Bool { Set(items).count == items.count }

    /// An RFC 7230 token: `^[!#$%&'*+.^_`|~0-9A-Za-z-]+$`.
    static func isHTTPHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "!#$%&'*+.^_`|~-".unicodeScalars.contains(c)
        }
    }

    static let authzConfig: SchemaNode = .object([
        "configMap": .object([
            "key": .string.def("authz.json"),
            "name": .string.req,
        ]),
        "groupClaimName": .string.maxLen(253),
        "groupEntityType": .string.pattern(#"^[A-Za-z_][A-Za-z0-9_]*$"#).maxLen(63),
        "inline": .object([
            "entitiesJson": .string.def("[]"),
            "policies": .list(.string).minItems(1).atomic.req,
            "primaryUpstreamProvider": .string.pattern(#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#).minLen(1).maxLen(63),
        ]),
        "roleClaimName": .string.maxLen(253),
        "type": .string.enumOf("configMap", "inline").def("configMap").req,
    ])
        .rule(#"self.type == 'configMap' ? has(self.configMap) : !has(self.configMap)"#,
              "configMap must be set when type is 'configMap', and must not be set otherwise") { s in ((s.string("type") ?? "configMap") == "configMap") == s.has("configMap") }
        .rule(#"self.type == 'inline' ? has(self.inline) : !has(self.inline)"#,
              "inline must be set when type is 'inline', and must not be set otherwise") { s in ((s.string("type") ?? "configMap") == "inline") == s.has("inline") }

    static let compositeToolSpec: SchemaNode = .object([
        "annotations": toolAnnotations,
        "description": .string,
        "name": .string.req,
        "output": .object([
            "properties": .map(.object([
                "default": .any,
                "description": .string,
                "properties": .freeform,
                "type": .string.enumOf("string", "integer", "number", "boolean", "object", "array").req,
                "value": .string,
            ])).req,
            "required": .list(.string),
        ]),
        "parameters": .freeform,
        "steps": .list(.object([
            "arguments": .freeform,
            "collection": .string,
            "condition": .string,
            "defaultResults": .any,
            "dependsOn": .list(.string),
            "id": .string.req,
            "itemVar": .string,
            "maxIterations": .integer,
            "maxParallel": .integer,
            "message": .string,
            "onCancel": .object([
                "action": .string.enumOf("skip_remaining", "abort", "continue").def("abort"),
            ]),
            "onDecline": .object([
                "action": .string.enumOf("skip_remaining", "abort", "continue").def("abort"),
            ]),
            "onError": .object([
                "action": .string.enumOf("abort", "continue", "retry").def("abort"),
                "retryCount": .integer,
                "retryDelay": .duration,
            ]),
            "schema": .freeform,
            "step": .freeform,
            "timeout": .duration,
            "tool": .string,
            "type": .string.enumOf("tool", "elicitation", "forEach").def("tool"),
        ])).req,
        "timeout": .duration,
    ])

    static let conditions: SchemaNode = .list(.object([
        "lastTransitionTime": .dateTime.req,
        "message": .string.maxLen(32768).req,
        "observedGeneration": .int64.min(0),
        "reason": .string.pattern(#"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"#).minLen(1).maxLen(1024).req,
        "status": .string.enumOf("True", "False", "Unknown").req,
        "type": .string.pattern(#"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"#).maxLen(316).req,
    ])).listMap("type")

    static let configStatus: SchemaNode = .object([
        "conditions": conditions,
        "configHash": .string,
        "observedGeneration": .int64,
    ])

    static let embeddedAuthServer: SchemaNode = .object([
        "allowConfidentialClientRegistration": .boolean.def(false),
        "authorizationEndpointBaseUrl": .string.pattern(#"^https?://[^\s?#]+[^/\s?#]$"#),
        "baselineClientScopes": .list(.string.pattern(#"^[\x21\x23-\x5B\x5D-\x7E]+$"#).minLen(1)).maxItems(10).atomic,
        "cimd": .object([
            "cacheFallbackTtl": .duration,
            "cacheMaxSize": .integer.min(1),
            "enabled": .boolean.def(false).req,
        ]),
        "delegateClients": .list(.object([
            "audiences": .list(.string.minLen(1).maxLen(2048)).minItems(1).maxItems(10).atomic.req,
            "clientId": .string.minLen(1).maxLen(256).req,
            "clientSecretRef": secretKeyRef.req,
            "scopes": .list(.string.minLen(1).maxLen(256)).minItems(1).maxItems(10).atomic.req,
        ])
            .rule(#"has(self.clientSecretRef) && size(self.clientSecretRef.name) > 0 && size(self.clientSecretRef.key) > 0"#,
                  "clientSecretRef.name and clientSecretRef.key are required and must be non-empty") { s in s.nonEmpty("clientSecretRef.name") && s.nonEmpty("clientSecretRef.key") }).maxItems(10).atomic,
        "disableUpstreamTokenInjection": .boolean.def(false),
        "forceConfidentialRedirectUris": .list(.string.pattern(#"^https://[^\s?#]+$"#)).maxItems(10).atomic,
        "hmacSecretRefs": .list(secretKeyRef).atomic,
        "insecureAllowConfidentialOverLoopbackHTTP": .boolean.def(false),
        "insecureAllowHTTP": .boolean.def(false),
        "issuer": .string.pattern(#"^https?://[^\s?#]+[^/\s?#]$"#).req,
        "primaryUpstreamProvider": .string.pattern(#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#).minLen(1).maxLen(63),
        "signingKeySecretRefs": .list(secretKeyRef).maxItems(5).atomic,
        "storage": .object([
            "redis": .object([
                "aclUserConfig": .object([
                    "passwordSecretRef": secretKeyRef.req,
                    "usernameSecretRef": secretKeyRef,
                ]).req,
                "addr": .string,
                "clusterMode": .boolean,
                "dialTimeout": .duration.def("5s"),
                "readTimeout": .duration.def("3s"),
                "sentinelConfig": .object([
                    "db": .int32.def(0),
                    "masterName": .string.req,
                    "sentinelAddrs": .list(.string).atomic,
                    "sentinelService": .object([
                        "name": .string.req,
                        "namespace": .string,
                        "port": .int32.def(26379),
                    ]),
                ]),
                "sentinelTls": redisTLS,
                "tls": redisTLS,
                "writeTimeout": .duration.def("3s"),
            ])
                .rule(#"(has(self.addr) && self.addr.size() > 0) != has(self.sentinelConfig)"#,
                      "exactly one of addr or sentinelConfig must be set") { s in s.nonEmpty("addr") != s.has("sentinelConfig") }
                .rule(#"!(has(self.clusterMode) && self.clusterMode) || (has(self.addr) && self.addr.size() > 0)"#,
                      "clusterMode requires addr to be set") { s in !s.isTrue("clusterMode") || s.nonEmpty("addr") },
            "type": .string.enumOf("memory", "redis").def("memory"),
        ]),
        "tokenLifespans": .object([
            "accessTokenLifespan": .duration,
            "authCodeLifespan": .duration,
            "refreshTokenLifespan": .duration,
        ]),
        "trustedIssuers": .list(.object([
            "actorClaim": .string.maxLen(64),
            "actorMatcher": .string.maxLen(4096),
            "allowMayAct": .boolean.def(false),
            "allowPrivateIPs": .boolean,
            "allowedActors": .list(.string.minLen(1).maxLen(256)).maxItems(50).atomic,
            "allowedDelegateClients": .list(.string.minLen(1).maxLen(256)).minItems(1).maxItems(50).atomic,
            "expectedAudience": .string.minLen(1).maxLen(2048),
            "insecureAllowHTTP": .boolean,
            "issuerUrl": .string.minLen(1).maxLen(2048).req,
            "jwksUrl": .string.maxLen(2048),
            "jwtBearerGrant": .object([
                "acceptedAudiences": .list(.string.pattern(#"^https?://[^[:space:]]+$"#).minLen(1).maxLen(2048)).maxItems(50).atomic,
                "maxAssertionAge": .string.req,
                "subjectBindings": .list(.object([
                    "allowedResources": .list(.string.pattern(#"^https?://[^[:space:]]+$"#).minLen(1).maxLen(2048)).minItems(1).maxItems(50).atomic.req,
                    "subject": .string.pattern(#"^[^*]+$"#).minLen(1).maxLen(256).req,
                ])).minItems(1).maxItems(50).atomic.req,
            ])
                .rule(#"duration(self.maxAssertionAge) > duration('0s')"#,
                      "maxAssertionAge must be greater than zero") { s in GoDuration.seconds(s.string("maxAssertionAge") ?? "").map { $0 > 0 } ?? false }
                .rule(#"self.subjectBindings.all(binding, self.subjectBindings.filter(other, other.subject == binding.subject).size() == 1)"#,
                      "subjectBindings must not contain duplicate subjects") { s in SharedSchemas.isUnique(s.list("subjectBindings").compactMap { $0.string("subject") }) },
        ])
            .rule(#"!has(self.allowedDelegateClients) || !('*' in self.allowedDelegateClients) || size(self.allowedDelegateClients) == 1"#,
                  "allowedDelegateClients must not combine the wildcard \"*\" with specific client IDs") { s in !s.strings("allowedDelegateClients").contains("*") || s.size("allowedDelegateClients") == 1 }
            .rule(#"!(has(self.allowMayAct) && self.allowMayAct && '*' in self.allowedDelegateClients)"#,
                  "allowMayAct must not be enabled when allowedDelegateClients contains the wildcard \"*\"") { s in !(s.isTrue("allowMayAct") && s.strings("allowedDelegateClients").contains("*")) }
            .rule(#"!has(self.actorClaim) || !(self.actorClaim in ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'name', 'email', 'scope', 'scp', 'may_act'])"#,
                  "actorClaim must name a readable claim; use client_id or a non-reserved claim such as azp, appid, or cid") { s in !SharedSchemas.reservedActorClaims.contains(s.string("actorClaim") ?? "") }
            .rule(#"!(has(self.allowPrivateIPs) && self.allowPrivateIPs) || (has(self.jwksUrl) && self.jwksUrl != "")"#,
                  "allowPrivateIPs requires jwksUrl to be set explicitly") { s in !s.isTrue("allowPrivateIPs") || s.nonEmpty("jwksUrl") }
            .rule(#"(has(self.jwtBearerGrant) && !((has(self.actorClaim) && size(self.actorClaim) > 0) || (has(self.actorMatcher) && size(self.actorMatcher) > 0) || (has(self.allowMayAct) && self.allowMayAct) || (has(self.allowedActors) && size(self.allowedActors) > 0))) || (has(self.expectedAudience) && size(self.expectedAudience) > 0)"#,
                  "expectedAudience is required unless jwtBearerGrant is configured without actorClaim, actorMatcher, allowMayAct, or allowedActors") { s in (s.has("jwtBearerGrant") && !SharedSchemas.namesActor(s) && s.size("allowedActors") == 0) || s.nonEmpty("expectedAudience") }
            .rule(#"!((has(self.expectedAudience) && size(self.expectedAudience) > 0) || (has(self.actorClaim) && size(self.actorClaim) > 0) || (has(self.actorMatcher) && size(self.actorMatcher) > 0) || (has(self.allowMayAct) && self.allowMayAct)) || (has(self.allowedDelegateClients) && size(self.allowedDelegateClients) > 0)"#,
                  "allowedDelegateClients is required when expectedAudience, actorClaim, actorMatcher, or allowMayAct is set") { s in !(s.nonEmpty("expectedAudience") || SharedSchemas.namesActor(s)) || s.size("allowedDelegateClients") > 0 }).maxItems(20).atomic,
        "upstreamProviders": .list(.object([
            "name": .string.pattern(#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#).minLen(1).maxLen(63).req,
            "oauth2Config": .object([
                "additionalAuthorizationParams": .map(.string).maxProps(16),
                "allowPrivateIPs": .boolean,
                "authorizationEndpoint": .string.pattern(#"^https?://.*$"#).req,
                "clientId": .string,
                "clientSecretRef": secretKeyRef,
                "dcrConfig": .object([
                    "discoveryUrl": .string.pattern(#"^https://[^\s?#]+[^/\s?#]$"#).maxLen(2048),
                    "initialAccessTokenRef": secretKeyRef,
                    "registrationEndpoint": .string.pattern(#"^https://[^\s?#]+[^/\s?#]$"#).maxLen(2048),
                    "softwareId": .string.maxLen(255),
                    "softwareStatement": .string.maxLen(16384),
                ])
                    .rule(#"has(self.discoveryUrl) != has(self.registrationEndpoint)"#,
                          "exactly one of discoveryUrl or registrationEndpoint must be set") { s in s.has("discoveryUrl") != s.has("registrationEndpoint") },
                "identityFromToken": .object([
                    "emailPath": .string.minLen(1).maxLen(256),
                    "namePath": .string.minLen(1).maxLen(256),
                    "subjectPath": .string.minLen(1).maxLen(256).req,
                ]),
                "insecureAllowHTTP": .boolean,
                "redirectUri": .string,
                "scopes": .list(.string).atomic,
                "tokenEndpoint": .string.pattern(#"^https?://.*$"#).req,
                "tokenResponseMapping": .object([
                    "accessTokenPath": .string.minLen(1).req,
                    "expiresInPath": .string,
                    "refreshTokenPath": .string,
                    "scopePath": .string,
                ]),
                "userInfo": userInfoEndpoint,
            ])
                .rule(#"(has(self.clientId) && size(self.clientId) > 0) ? !has(self.dcrConfig) : has(self.dcrConfig)"#,
                      "exactly one of clientId or dcrConfig must be set") { s in s.nonEmpty("clientId") != s.has("dcrConfig") }
                .rule(#"!(has(self.dcrConfig) && has(self.clientSecretRef))"#,
                      "clientSecretRef must not be set when dcrConfig is set; the client_secret is obtained at runtime via Dynamic Client Registration") { s in !(s.has("dcrConfig") && s.has("clientSecretRef")) },
            "oidcConfig": .object([
                "additionalAuthorizationParams": .map(.string).maxProps(16),
                "clientId": .string.req,
                "clientSecretRef": secretKeyRef,
                "issuerUrl": .string.pattern(#"^https://.*$"#).req,
                "redirectUri": .string,
                "scopes": .list(.string).atomic,
                "subjectClaim": .string.pattern(#"^([a-zA-Z_][a-zA-Z0-9_]*)?$"#).maxLen(128),
                "userInfoOverride": userInfoEndpoint,
            ]),
            "type": .string.enumOf("oidc", "oauth2").req,
        ])
            .rule(#"self.type == 'oidc' ? (has(self.oidcConfig) && !has(self.oauth2Config)) : self.type == 'oauth2' ? (has(self.oauth2Config) && !has(self.oidcConfig)) : false"#,
                  "type must be 'oidc' or 'oauth2'; oidcConfig must be set when type is 'oidc' and oauth2Config must be set when type is 'oauth2' (and the other must not be set)") { s in (s.string("type") == "oidc" && s.has("oidcConfig") && !s.has("oauth2Config")) || (s.string("type") == "oauth2" && s.has("oauth2Config") && !s.has("oidcConfig")) }).minItems(1).listMap("name").req,
    ])
        .rule(#"!(has(self.allowConfidentialClientRegistration) && self.allowConfidentialClientRegistration && has(self.insecureAllowHTTP) && self.insecureAllowHTTP)"#,
              "allowConfidentialClientRegistration cannot be combined with insecureAllowHTTP; client secrets would be issued in cleartext over an unauthenticated endpoint") { s in !(s.isTrue("allowConfidentialClientRegistration") && s.isTrue("insecureAllowHTTP")) }
        .rule(#"!has(self.delegateClients) || size(self.delegateClients) == 0 || !self.issuer.startsWith('http://')"#,
              "delegateClients require an https:// issuer; delegate client secrets must not be sent over plaintext HTTP") { s in s.size("delegateClients") == 0 || !(s.string("issuer") ?? "").hasPrefix("http://") }
        .rule(#"(!has(self.forceConfidentialRedirectUris) || size(self.forceConfidentialRedirectUris) == 0) || (has(self.allowConfidentialClientRegistration) && self.allowConfidentialClientRegistration)"#,
              "forceConfidentialRedirectUris requires allowConfidentialClientRegistration to be true") { s in s.size("forceConfidentialRedirectUris") == 0 || s.isTrue("allowConfidentialClientRegistration") }

    static let localObjectReferences: SchemaNode = .list(.object([
        "name": .string.def(""),
    ]).atomic).atomic

    static let oidcConfigRef: SchemaNode = .object([
        "audience": .string.minLen(1).req,
        "name": .string.minLen(1).req,
        "resourceUrl": .string,
        "scopes": .list(.string).atomic,
    ])

    static let rateLimiting: SchemaNode = .object([
        "perUser": tokenBucket,
        "shared": tokenBucket,
        "tools": .list(.object([
            "name": .string.minLen(1).req,
            "perUser": tokenBucket,
            "shared": tokenBucket,
        ])
            .rule(#"has(self.shared) || has(self.perUser)"#,
                  "at least one of shared or perUser must be configured") { s in s.has("shared") || s.has("perUser") }).listMap("name"),
    ])
        .rule(#"has(self.shared) || has(self.perUser) || (has(self.tools) && size(self.tools) > 0)"#,
              "at least one of shared, perUser, or tools must be configured") { s in s.has("shared") || s.has("perUser") || s.size("tools") > 0 }

    static let redisTLS: SchemaNode = .object([
        "caCertSecretRef": secretKeyRef,
        "insecureSkipVerify": .boolean,
    ])

    static let secretKeyRef: SchemaNode = .object([
        "key": .string.req,
        "name": .string.req,
    ])

    static let sessionStorage: SchemaNode = .object([
        "address": .string.minLen(1),
        "db": .int32.def(0).min(0),
        "keyPrefix": .string,
        "passwordRef": secretKeyRef,
        "provider": .string.enumOf("memory", "redis").req,
    ])
        .rule(#"self.provider == 'redis' ? has(self.address) : true"#,
              "address is required") { s in s.string("provider") != "redis" || s.has("address") }

    static let telemetryConfigRef: SchemaNode = .object([
        "name": .string.minLen(1).req,
        "serviceName": .string,
    ])

    static let tokenBucket: SchemaNode = .object([
        "maxTokens": .int32.min(1).req,
        "refillPeriod": .string.req,
    ])

    static let toolAnnotations: SchemaNode = .object([
        "destructiveHint": .boolean,
        "idempotentHint": .boolean,
        "openWorldHint": .boolean,
        "readOnlyHint": .boolean,
        "title": .string,
    ])

    static let toolOverride: SchemaNode = .map(.object([
        "annotations": toolAnnotations,
        "description": .string,
        "name": .string,
    ]))

    static let userInfoEndpoint: SchemaNode = .object([
        "additionalHeaders": .map(.string),
        "endpointUrl": .string.pattern(#"^https?://.*$"#).req,
        "fieldMapping": .object([
            "emailFields": .list(.string).atomic,
            "nameFields": .list(.string).atomic,
            "subjectFields": .list(.string).atomic,
        ]),
        "httpMethod": .string.enumOf("GET", "POST"),
    ])
}

extension SchemaNode {
    /// A Go `time.Duration` string (`30s`, `1m0s`, `1.5h`), as the CRDs pattern-check them.
    static let duration = SchemaNode.string.pattern(#"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"#)
}

/// Go duration strings, for the CEL rules that compare durations (`duration(self) >= duration('1s')`).
enum GoDuration {
    /// Seconds in a Go duration string (`1h30m`, `250ms`, `-2s`), nil when it does not parse.
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" {
            if rest.first == "-" { sign = -1 }
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let n = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += n * scale
        }
        return sign * total
    }

    /// `self == '' || duration(self) >= duration('<seconds>s')`; an unparsable value is left to
    /// the field's pattern check.
    static func atLeast(_ text: String?, seconds minimum: Double, emptyAllowed: Bool) -> Bool {
        guard let text else { return true }
        if text.isEmpty { return emptyAllowed }
        guard let s = seconds(text) else { return true }
        return s >= minimum
    }
}
