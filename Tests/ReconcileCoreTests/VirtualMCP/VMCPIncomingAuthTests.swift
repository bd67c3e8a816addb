import Testing
@testable import ReconcileCore

@Suite struct VMCPIncomingAuthTests {
    static let oidcSpec = #""groupRef":{"name":"g"},"incomingAuth":{"type":"oidc","oidcConfigRef":{"name":"idp","audience":"vmcp-api","scopes":["openid"]}}"#
    static let idp = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPOIDCConfig","metadata":{"name":"idp"},"spec":{"type":"inline","inline":{"issuer":"https://auth.example.com","clientId":"client","clientSecretRef":{"name":"oidc-secret","key":"client-secret"},"caBundleRef":{"configMapRef":{"name":"idp-ca","key":"ca.pem"}}}},"status":{"configHash":"abc"}}"#)

    @Test func oidcConfigRefResolvesIntoConfigEnvAndVolume() throws {
        let r = VT.reconcile([VT.group(), Self.idp, VT.secret("oidc-secret", key: "client-secret"), VT.vmcp(spec: Self.oidcSpec)])
        let c = try #require(VT.config(r))
        #expect(c[path: "incomingAuth.oidc"] == [
            "issuer": "https://auth.example.com", "clientId": "client", "clientSecretEnv": "VMCP_OIDC_CLIENT_SECRET", "audience": "vmcp-api",
            "resource": "http://v.default.svc.cluster.local:4483", "scopes": ["openid"], "caBundlePath": "/config/certs/idp-ca/ca.pem",
        ])
        let d = try #require(r.applied("Deployment", "v"))
        let env = d[path: "spec.template.spec.containers"]?.arrayValue?.first?["env"]?.arrayValue ?? []
        #expect(env[2] == EnvVar.secret("VMCP_OIDC_CLIENT_SECRET", secret: "oidc-secret", key: "client-secret"))
        #expect(d[path: "spec.template.spec.volumes"]?.arrayValue?.map { $0["name"] } == ["vmcp-config", "oidc-ca-bundle-idp-ca"])
        #expect(r.statusPatch?["oidcConfigHash"] == "abc")
        #expect(r.condition("OIDCConfigRefValidated")?.reason == "OIDCConfigRefValid")
    }

    @Test func missingOIDCConfigOrSecret() {
        let missing = VT.reconcile([VT.group(), VT.vmcp(spec: Self.oidcSpec)])
        #expect(missing.condition("OIDCConfigRefValidated")?.reason == "OIDCConfigRefNotFound")
        #expect(missing.applied("Deployment", "v") == nil)
        let noSecret = VT.reconcile([VT.group(), Self.idp, VT.vmcp(spec: Self.oidcSpec)])
        #expect(noSecret.condition("AuthConfigured")?.reason == "AuthInvalid")
        #expect(noSecret.condition("AuthConfigured")?.message == "Authentication configuration is invalid: secret oidc-secret key client-secret not found")
        #expect(noSecret.events.map(\.reason) == ["SecretValidationFailed"])
    }

    @Test func authzFromConfigMap() throws {
        let spec = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfig":{"type":"configMap","configMap":{"name":"authz"}}}"#
        let cm = VT.obj(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"authz"},"data":{"authz.json":"{\"version\":\"1.0\",\"type\":\"cedarv1\",\"cedar\":{\"policies\":[\"permit(principal, action, resource);\"],\"entities_json\":\"[]\"}}"}}"#)
        let c = try #require(VT.config(VT.reconcile([VT.group(), cm, VT.vmcp(spec: spec)])))
        #expect(c[path: "incomingAuth.authz"] == ["type": "cedar", "policies": ["permit(principal, action, resource);"], "entitiesJson": "[]"])
        let missing = VT.reconcile([VT.group(), VT.vmcp(spec: spec)])
        #expect(missing.condition("AuthConfigured")?.reason == "AuthzConfigMapNotFound")
    }

    @Test func inlineAuthzIsCedar() throws {
        let spec = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfig":{"type":"inline","inline":{"policies":["permit(principal, action, resource);"]}}}"#
        let c = try #require(VT.config(VT.reconcile([VT.group(), VT.vmcp(spec: spec)])))
        #expect(c[path: "incomingAuth.authz"] == ["type": "cedar", "policies": ["permit(principal, action, resource);"], "entitiesJson": "[]"])
    }

    @Test func telemetryRefBuildsSectionEnvAndHash() throws {
        let tel = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPTelemetryConfig","metadata":{"name":"otel"},"spec":{"openTelemetry":{"enabled":true,"endpoint":"collector:4318","tracing":{"enabled":true,"samplingRate":"0.1"},"sensitiveHeaders":[{"name":"x-api-key","secretKeyRef":{"name":"otel","key":"k"}}]},"prometheus":{"enabled":true}},"status":{"configHash":"h1"}}"#)
        let spec = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"telemetryConfigRef":{"name":"otel","serviceName":"svc"}"#
        let r = VT.reconcile([VT.group(), tel, VT.vmcp(spec: spec)])
        let c = try #require(VT.config(r))
        #expect(c["telemetry"] == [
            "endpoint": "collector:4318", "serviceName": "svc", "tracingEnabled": true, "metricsEnabled": false, "samplingRate": "0.1",
            "insecure": false, "enablePrometheusMetricsPath": true, "useLegacyAttributes": true,
        ])
        #expect(r.statusPatch?["telemetryConfigHash"] == "h1")
        let env = r.applied("Deployment", "v")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["env"]?.arrayValue ?? []
        #expect(env.contains(EnvVar.plain("OTEL_RESOURCE_ATTRIBUTES", "service.name=svc,service.namespace=default")))
        #expect(env.contains(EnvVar.secret("TOOLHIVE_OTEL_HEADER_X_API_KEY", secret: "otel", key: "k")))
        let missing = VT.reconcile([VT.group(), VT.vmcp(spec: spec)])
        #expect(missing.condition("TelemetryConfigRefValidated")?.message == "MCPTelemetryConfig otel not found")
    }

    @Test func authzConfigRefMustBeCedar() {
        let az = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPAuthzConfig","metadata":{"name":"az"},"spec":{"type":"opa","config":{}}}"#)
        let r = VT.reconcile([VT.group(), az, VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfigRef":{"name":"az"}}"#)])
        #expect(r.condition("AuthzConfigRefValidated")?.message == #"MCPAuthzConfig az has unsupported type "opa" for VirtualMCPServer; only cedarv1 is supported"#)
    }
}

@Suite struct VMCPAuthServerConfigTests {
    static func run(_ asc: String) -> ReconcileResult {
        VT.reconcile([VT.group(), VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"authServerConfig":\#(asc)"#)])
    }

    @Test func issuerAndUpstreamChecks() {
        let noUpstream = Self.run(#"{"issuer":"https://auth.example.com"}"#)
        #expect(noUpstream.statusPatch?["phase"] == "Failed")
        #expect(noUpstream.condition("AuthServerConfigValidated")?.message == "authServerConfig.upstreamProviders must have at least one provider")
        #expect(noUpstream.requeueAfterSeconds == nil)
        #expect(noUpstream.applied("Deployment", "v") == nil)
        let http = Self.run(#"{"issuer":"http://auth.example.com","upstreamProviders":[{"name":"a","type":"oidc"}]}"#)
        #expect(http.condition("AuthServerConfigValidated")?.reason == "AuthServerConfigInvalid")
        let loopback = Self.run(#"{"issuer":"http://localhost:8080","upstreamProviders":[{"name":"a","type":"oauth2","oauth2Config":{}}]}"#)
        #expect(loopback.condition("AuthServerConfigValidated")?.status == .true)
        #expect(loopback.condition("IdentitySynthesized")?.reason == "OAuth2UpstreamWithoutUserInfo")
        #expect(VT.reconcile([VT.group(), VT.vmcp()]).condition("AuthServerConfigValidated") == nil)
    }
}

@Suite struct VMCPOptimizerTests {
    @Test func embeddingServerURLFillsTheOptimizer() throws {
        let es = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"EmbeddingServer","metadata":{"name":"emb"},"spec":{},"status":{"phase":"Ready","readyReplicas":1,"url":"http://emb.default.svc:8080"}}"#)
        let spec = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"embeddingServerRef":{"name":"emb"},"config":{"optimizer":{"embeddingService":"http://manual","embeddingServiceTimeout":"45s"}}"#
        let r = VT.reconcile([VT.group(), es, VT.vmcp(spec: spec)])
        let c = try #require(VT.config(r))
        #expect(c["optimizer"] == ["embeddingService": "http://emb.default.svc:8080", "embeddingServiceTimeout": "45s"])
        #expect(r.events.first?.reason == "EmbeddingServiceOverridden")
        #expect(r.condition("EmbeddingServerReady")?.status == .true)
        // Once the status shows this generation was seen, the advisory is not repeated.
        #expect(!VT.reconcile(VT.apply(r, to: [VT.group(), es, VT.vmcp(spec: spec)])).events.contains { $0.reason == "EmbeddingServiceOverridden" })
        let notReady = VT.reconcile([VT.group(), VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"EmbeddingServer","metadata":{"name":"emb"},"spec":{}}"#), VT.vmcp(spec: spec)])
        #expect(notReady.statusPatch?["phase"] == "Pending")
        #expect(notReady.requeueAfterSeconds == 30)
        // An embeddingServerRef without an optimizer section still gets one.
        let auto = try #require(VT.config(VT.reconcile([VT.group(), es, VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"embeddingServerRef":{"name":"emb"}"#)])))
        #expect(auto["optimizer"] == ["embeddingService": "http://emb.default.svc:8080"])
    }
}
