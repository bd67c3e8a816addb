import Testing
@testable import ReconcileCore

@Suite struct MCPServerBuildersTests {
    /// Expected values computed independently (Python's hashlib over the same concatenation).
    @Test func contentChecksumMatchesAnIndependentSHA256() {
        let labels = RunConfigBuilder.labels(server: "x")
        let data = ["runconfig.json": "{\n  \"name\": \"x\"\n}"]
        #expect(RunConfigBuilder.contentChecksum(data: data, labels: labels, annotations: [:]) == "0099f302aa405cbde319da7841adcdb1df0370edff6d5399005b4287a48231dc")
        // The checksum annotation itself never feeds the checksum; other annotations do.
        #expect(RunConfigBuilder.contentChecksum(data: data, labels: labels, annotations: [RunConfigBuilder.contentChecksumAnnotation: "zzz"]) == "0099f302aa405cbde319da7841adcdb1df0370edff6d5399005b4287a48231dc")
        #expect(RunConfigBuilder.contentChecksum(data: data, labels: labels, annotations: ["b-extra": "v"]) == "ca3380faa106cd1bf606f6113b90ba25dedc153d6bc30e750d01c79dd2ce0be5")
    }

    @Test(arguments: [
        (["spec": ["containers": "x"]] as Value, "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"),
        ("x", "json: cannot unmarshal string into Go value of type v1.PodTemplateSpec"),
        (["metadata": ["labels": ["a": 1]]], "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
        (["spec": ["containers": [["name": "mcp", "env": ["A": "b"]]]]], "json: cannot unmarshal object into Go struct field Container.spec.containers.env of type []v1.EnvVar"),
        (["spec": ["containers": [["name": 5]]]], "json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string"),
        (["spec": ["tolerations": ["key": "k"]]], "json: cannot unmarshal object into Go struct field PodSpec.spec.tolerations of type []v1.Toleration"),
        (["spec": ["nodeSelector": ["a": true]]], "json: cannot unmarshal bool into Go struct field PodSpec.spec.nodeSelector of type string"),
        (["spec": []], "json: cannot unmarshal array into Go struct field PodTemplateSpec.spec of type v1.PodSpec"),
    ] as [(Value, String)])
    func podTemplateDecodeErrors(template: Value, message: String) {
        #expect(throws: K8sPodPatch.DecodeError(message: message)) { try K8sPodPatch.validate(template) }
    }

    @Test func validTemplatesPass() throws {
        try K8sPodPatch.validate(["metadata": ["labels": ["a": "b"]], "spec": ["containers": [["name": "mcp", "env": [["name": "A", "value": "1"]], "resources": ["limits": ["cpu": "1"]]]], "tolerations": [], "affinity": nil]])
        try K8sPodPatch.validate([:])
    }

    @Test func patchIsLeftOutWhenItCarriesNothing() {
        #expect(K8sPodPatch.build(template: nil, serviceAccount: "", secrets: []) == nil)
        #expect(K8sPodPatch.build(template: ["spec": ["containers": []]], serviceAccount: nil, secrets: []) == nil)
        let withLabels = K8sPodPatch.build(template: ["metadata": ["labels": ["a": "b"]]], serviceAccount: nil, secrets: [])
        #expect(withLabels.map(K8sPodPatch.serialize) == #"{"metadata":{"creationTimestamp":null,"labels":{"a":"b"}},"spec":{"containers":[]}}"#)
    }

    @Test func podSummaryKeepsTheFirstFailureReason() {
        let pods = [
            MCPTestObjects.pod("a", phase: "Failed", ready: false), MCPTestObjects.pod("b", phase: "Running", ready: false, waiting: "CreateContainerError"),
            MCPTestObjects.pod("c", phase: "Running", ready: false, waiting: "InvalidImageName"), MCPTestObjects.pod("d", deleting: true),
        ]
        let s = PodStatus.Summary(pods)
        #expect(s.failed == 3 && s.running == 0 && s.pending == 0 && s.total == 3)
        #expect(s.firstFailureReason == "PodFailed")
        #expect(PodStatus.classify(MCPTestObjects.pod("e", phase: "Running", ready: true, waiting: "ErrImagePull")) == .running)
    }

    @Test func runConfigEscapesLikeGo() {
        #expect(RunConfigBuilder.json(["a": "<b>&\u{2028}"]) == "{\n  \"a\": \"\\u003cb\\u003e\\u0026\\u2028\"\n}")
        // U+2029 is escaped; other characters starting with the same byte (an em dash) are not.
        #expect(RunConfigBuilder.goHTMLEscaped("x\u{2029}é—y") == "x\\u2029é—y")
        #expect(RunConfigBuilder.goHTMLEscaped("plain") == "plain")
    }
}
