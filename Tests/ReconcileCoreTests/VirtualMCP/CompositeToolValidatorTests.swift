import Testing
@testable import ReconcileCore

@Suite struct GoTemplateSyntaxTests {
    @Test func acceptsWhatTheRuntimeParses() throws {
        for t in [
            "plain text", "{{.params.url}}", "Fetched {{.params.url}}: {{.steps.fetch.output.body}}", "{{ if eq .params.x \"a\" }}yes{{ else }}no{{ end }}",
            "{{- .a -}}", "{{/* comment */}}x", "{{ range $i, $v := .items }}{{ $v }}{{ end }}", "{{ json .steps.a.output | quote }}",
            "{{ printf \"%s-%d\" .a 3 }}", "{{ index .steps \"a\" }}", "{{ with .x }}{{ . }}{{ end }}",
        ] {
            try GoTemplateSyntax.check(t)
        }
    }

    @Test func rejectsBrokenTemplates() {
        let cases: [(String, String)] = [
            ("{{.params.url", "unclosed action"),
            ("{{ }}", "missing value for command"),
            ("{{ if .a }}x", "unexpected EOF: {{if}} is not closed by {{end}}"),
            ("x{{ end }}", "unexpected {{end}}"),
            ("{{ else }}", "unexpected {{else}}"),
            ("{{ nosuchfunc .a }}", "function \"nosuchfunc\" not defined"),
            ("{{ (len .a }}", "unclosed left paren"),
            ("{{ \"abc }}", "unterminated quoted string"),
            ("{{ .a | }}", "missing value for command"),
        ]
        for (text, message) in cases {
            #expect(throws: GoTemplateSyntax.SyntaxProblem(message: message)) { try GoTemplateSyntax.check(text) }
        }
    }

    @Test func findsFieldReferences() {
        #expect(GoTemplateSyntax.fieldReferences(in: "a {{.steps.s1.output.body}} b {{ eq .params.x 1 }}") == [".steps.s1.output.body", ".params.x"])
    }
}

@Suite struct CompositeToolValidatorTests {
    static func tool(_ steps: String, extra: String = "") -> Value {
        (try? JSONReader.parse(#"{"name":"t","description":"d",\#(extra)"steps":[\#(steps)]}"#)) ?? .null
    }

    @Test func validWorkflowHasNoIssues() {
        let t = Self.tool(#"{"id":"a","tool":"fetch","arguments":{"url":"{{.params.url}}"}},{"id":"b","tool":"yardstick.echo","dependsOn":["a"],"arguments":{"m":"{{.steps.a.output.body}}"}}"#,
            extra: #""parameters":{"type":"object","properties":{"url":{"type":"string"}}},"#)
        #expect(CompositeToolValidator.issues(t, path: "spec").isEmpty)
        #expect(CompositeToolValidator.message(t, path: "spec") == nil)
    }

    @Test func unknownDependency() {
        let t = Self.tool(#"{"id":"a","tool":"x","dependsOn":["ghost"]}"#)
        #expect(CompositeToolValidator.message(t, path: "spec") == #"validation failed: spec.steps[0].dependsOn references unknown step "ghost""#)
    }

    @Test func dependencyCycleIsFoundDeterministically() {
        let t = Self.tool(#"{"id":"a","tool":"x","dependsOn":["c"]},{"id":"b","tool":"x","dependsOn":["a"]},{"id":"c","tool":"x","dependsOn":["b"]}"#)
        let issues = CompositeToolValidator.issues(t, path: "spec")
        #expect(issues == [.init(kind: .dependencyCycle, message: #"spec.steps: dependency cycle detected involving step "a""#)])
    }

    @Test func templateSyntax() {
        let t = Self.tool(#"{"id":"a","tool":"x","arguments":{"u":"{{.params.url"}}"#)
        #expect(CompositeToolValidator.issues(t, path: "spec") == [.init(kind: .template, message: "spec.steps[0].arguments[u]: invalid template: unclosed action")])
        let c = Self.tool(#"{"id":"a","tool":"x","condition":"{{ if .x }}"}"#)
        #expect(CompositeToolValidator.issues(c, path: "p").first?.kind == .template)
    }

    @Test func toolNamePatternAndStepTypes() {
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","tool":"-bad"}"#), path: "spec") == "validation failed: spec.steps[0].tool must be a valid tool name")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a"}"#), path: "spec") == "validation failed: spec.steps[0].tool is required when type is tool")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","tool":"x","message":"m"}"#), path: "spec")
            == "validation failed: spec.steps[0] cannot have both tool and message fields - use explicit type to clarify intent")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","type":"loop","tool":"x"}"#), path: "spec")
            == "validation failed: spec.steps[0].type must be one of: tool, elicitation, forEach")
    }

    @Test func elicitationRules() {
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","type":"elicitation"}"#), path: "spec")
            == "validation failed: spec.steps[0].message is required when type is elicitation")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","type":"elicitation","message":"ok?","onDecline":{"action":"explode"}}"#), path: "spec")
            == "validation failed: spec.steps[0].onDecline.action must be one of: abort, continue, skip_remaining")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","type":"elicitation","message":"ok?","onCancel":{}}"#), path: "spec")
            == "validation failed: spec.steps[0].onCancel.action is required")
    }

    @Test func retryNeedsRetryCount() {
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","tool":"x","onError":{"action":"retry","maxRetries":2}}"#), path: "spec")
            == "validation failed: spec.steps[0].onError.retryCount must be at least 1 when action is retry")
        #expect(CompositeToolValidator.message(Self.tool(#"{"id":"a","tool":"x","onError":{"action":"retry","retryCount":2}}"#), path: "spec") == nil)
    }

    @Test func topLevelProblemsAreAllCollected() {
        let t: Value = ["steps": [], "parameters": ["type": "string"]]
        #expect(CompositeToolValidator.message(t, path: "spec")
            == "validation failed: spec.name is required; spec.description is required; spec.steps must have at least one step; spec.parameters: 'type' must be 'object' (got 'string')")
    }

    @Test func skippableStepsNeedDefaultResults() {
        let t = Self.tool(#"{"id":"a","tool":"x","condition":"{{ .params.go }}"},{"id":"b","tool":"y","arguments":{"v":"{{.steps.a.output.value}}"}}"#)
        #expect(CompositeToolValidator.message(t, path: "spec")
            == #"validation failed: spec.steps[a].defaultResults[value] is required: step "a" may be skipped and field "value" is referenced by step b"#)
        let ok = Self.tool(#"{"id":"a","tool":"x","condition":"{{ .params.go }}","defaultResults":{"value":""}},{"id":"b","tool":"y","arguments":{"v":"{{.steps.a.output.value}}"}}"#)
        #expect(CompositeToolValidator.message(ok, path: "spec") == nil)
    }

    @Test func forEachRules() {
        let good = Self.tool(#"{"id":"a","type":"forEach","collection":"{{ .params.items }}","itemVar":"item","step":{"tool":"x","arguments":{"i":"{{ .item }}"}}}"#)
        #expect(CompositeToolValidator.message(good, path: "spec") == nil)
        let bad = Self.tool(#"{"id":"a","type":"forEach","collection":"{{ .params.items }}","itemVar":"index","step":{"tool":"x"}}"#)
        #expect(CompositeToolValidator.message(bad, path: "spec") == #"validation failed: spec.steps[0].itemVar must be a valid identifier other than "index""#)
    }
}
