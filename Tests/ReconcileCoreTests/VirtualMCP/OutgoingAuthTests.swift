import Testing
@testable import ReconcileCore

@Suite struct OutgoingAuthTests {
    static func config(_ name: String, _ spec: String) -> KubeObject {
        VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"\#(name)"},"spec":\#(spec)}"#)
    }

    @Test func everyStrategyType() {
        let sts = Self.config("aws", #"{"type":"awsSts","awsSts":{"region":"eu-west-1","service":"aws-mcp","roleClaim":"groups"}}"#)
        #expect(OutgoingAuth.strategy(of: sts) == .success(["type": "aws_sts", "awsSts": ["region": "eu-west-1", "service": "aws-mcp", "roleClaim": "groups"]]))
        let up = Self.config("up", #"{"type":"upstreamInject","upstreamInject":{"providerName":"github"}}"#)
        #expect(OutgoingAuth.strategy(of: up) == .success(["type": "upstream_inject", "upstreamInject": ["providerName": "github"]]))
        let xaa = Self.config("my-xaa", #"{"type":"xaa","xaa":{"idpTokenUrl":"https://idp/t","idpClientSecretRef":{"name":"s","key":"k"},"targetTokenUrl":"https://t/t","targetAudience":"aud"}}"#)
        #expect(OutgoingAuth.strategy(of: xaa) == .success(["type": "xaa", "xaa": [
            "idpTokenUrl": "https://idp/t", "idpClientSecretEnv": "TOOLHIVE_XAA_IDP_CLIENT_SECRET_MY_XAA", "targetTokenUrl": "https://t/t", "targetAudience": "aud"]]))
        #expect(OutgoingAuth.strategy(of: Self.config("u", #"{"type":"unauthenticated"}"#)) == .success(["type": "unauthenticated"]))
        #expect(OutgoingAuth.strategy(of: Self.config("obo", #"{"type":"obo","obo":{}}"#)) == .failure(AuthProblem(reason: "EnterpriseRequired", message: "auth type obo requires an enterprise build of ToolHive")))
        #expect(OutgoingAuth.strategy(of: Self.config("b", #"{"type":"bearerToken","bearerToken":{"tokenSecretRef":{"name":"t","key":"k"}}}"#))
            == .failure(AuthProblem(reason: "ConversionFailed", message: "unsupported auth type: bearerToken")))
    }

    @Test func invalidConfigMirrorsItsReason() {
        var c = VT.tokenExchange("te")
        c.status = ["conditions": [["type": "Valid", "status": "False", "reason": "InvalidConfig", "message": "bad", "lastTransitionTime": "2026-01-01T00:00:00Z"]]]
        #expect(OutgoingAuth.strategy(of: c) == .failure(AuthProblem(reason: "InvalidConfig", message: "MCPExternalAuthConfig te is invalid: bad")))
    }

    @Test func envSuffix() {
        #expect(MCPExternalAuthConfigSpec.envSuffix("my-config.v2") == "MY_CONFIG_V2")
    }

    @Test func secretEnvOrderAndDedup() {
        let spec = try? VirtualMCPServerSpec(VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"source":"discovered","default":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"a"}},"backends":{"x":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"b"}}}}"#))
        let s = Snapshot([VT.tokenExchange("a", secret: "sa"), VT.tokenExchange("b", secret: "sb"), VT.tokenExchange("c", secret: "sc"), VT.group(), VT.server("m", authRef: "c"), VT.server("n", authRef: "a")])
        let workloads = BackendDiscovery.workloads(group: "g", namespace: "default", in: s)
        let env = spec.map { OutgoingAuth.secretEnv(spec: $0, workloads: workloads, namespace: "default", in: s) } ?? []
        #expect(env.compactMap { $0["name"]?.stringValue } == ["TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_A", "TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_C", "TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_B"])
    }
}
