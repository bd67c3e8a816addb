import Testing
@testable import ReconcileCore

/// Bad input never crashes: every malformed spec ends in a plan with a status saying why (or a
/// plan that simply carries on where the Go types would have tolerated the value).
@Suite struct VMCPBadInputTests {
    static let specs: [String] = [
        #""groupRef":"team","incomingAuth":{"type":"anonymous"}"#,
        #""groupRef":["x"],"incomingAuth":{"type":"anonymous"}"#,
        #""groupRef":{"name":"g"},"incomingAuth":"anonymous""#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":[1,2]"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"backends":"x"}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"backends":{"a":5}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"aggregation":{"tools":"x"}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"aggregation":{"tools":[5,{"workload":3}]}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeTools":[{"name":"t","description":"d","steps":"x"}]}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeTools":[7]}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeToolRefs":[1,{"name":5}]}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"operational":{"failureHandling":3,"timeouts":{"default":5}}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"operational":{"failureHandling":{"statusReportingInterval":"-5s","circuitBreaker":"on"}}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"podTemplateSpec":5"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"podTemplateSpec":{"spec":{"containers":[{"name":"vmcp","env":"x"}]}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"replicas":-1"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"oidc","oidcConfigRef":{"name":"x"}},"sessionStorage":{"provider":"redis"}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfig":{"type":"configMap","configMap":{"name":"cm"}}}"#,
        #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"audit":"yes","optimizer":[]}"#,
    ]

    @Test(arguments: specs)
    func malformedSpecsGiveAStatus(_ spec: String) {
        let cm = VT.obj(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"authz.json":"not json {"}}"#)
        let badAuth = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"bad"},"spec":{"type":7,"tokenExchange":"x"}}"#)
        let badServer = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServer","metadata":{"name":"s"},"spec":{"groupRef":{"name":"g"},"transport":5,"externalAuthConfigRef":{"name":"bad"}},"status":{"url":7,"phase":[]}}"#)
        let r = VT.reconcile([VT.group(), cm, badAuth, badServer, VT.vmcp(spec: spec)])
        #expect(r.statusPatch != nil)
        let rule = VMCPRuntimeRule().changes(in: Snapshot([VT.group(), badServer, VT.vmcp(spec: spec)]), env: OperatorEnvironment())
        #expect(rule.count <= 1)
    }

    @Test func templateCheckerSurvivesGarbage() {
        var rng = SplitMix64(seed: 3)
        let alphabet = Array("{}()|\"'`-$.: abc\\/*\n")
        for _ in 0..<2000 {
            let text = String((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            _ = try? GoTemplateSyntax.check(text)
            _ = GoTemplateSyntax.fieldReferences(in: text)
        }
    }

    @Test func configKindsSurviveGarbage() {
        let objects = [
            VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"a"},"spec":[]}"#),
            VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPToolConfig","metadata":{"name":"t"},"spec":{"toolsFilter":"x"}}"#),
            VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"steps":[{"id":5,"dependsOn":"x","arguments":[1]}],"parameters":"p"}}"#),
        ]
        let s = Snapshot(objects)
        #expect(MCPExternalAuthConfigReconciler().reconcile(s, key: objects[0].key, env: OperatorEnvironment()).condition("Valid")?.status == .false)
        #expect(MCPToolConfigReconciler().reconcile(s, key: objects[1].key, env: OperatorEnvironment()).condition("Valid")?.message == "spec.toolsFilter: expected a list, got a string")
        #expect(CompositeToolDefinitionReconciler().reconcile(s, key: objects[2].key, env: OperatorEnvironment()).statusPatch?["validationStatus"] == "Invalid")
    }
}
