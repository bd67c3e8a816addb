import Testing
@testable import ReconcileCore

/// One test per kind of schema rule, on small hand-made schemas, so each message format is pinned.
@Suite struct SchemaValidatorTests {
    let key = ObjectKey(Kinds.mcpServer, namespace: "default", name: "x")

    func check(_ value: Value, _ schema: SchemaNode) -> [String] {
        var problems: [ValidationProblem] = []
        SchemaValidator.validate(value, against: schema, at: ["spec"], object: key, into: &problems)
        return problems.map { "\($0.severity.rawValue) \($0.fieldPath): \($0.message)" }
    }

    @Test func typeMismatchUsesTheAPIServerWording() {
        let schema: SchemaNode = .object(["port": .int32, "name": .string, "on": .boolean, "tags": .list(.string), "meta": .object([:])])
        #expect(check(["port": "80"], schema) == [#"error spec.port: Invalid value: "string": spec.port in body must be of type integer: "string""#])
        #expect(check(["name": 3], schema) == [#"error spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer""#])
        #expect(check(["on": "yes"], schema) == [#"error spec.on: Invalid value: "string": spec.on in body must be of type boolean: "string""#])
        #expect(check(["tags": "a"], schema) == [#"error spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string""#])
        #expect(check(["meta": ["a"]], schema) == [#"error spec.meta: Invalid value: "array": spec.meta in body must be of type object: "array""#])
        #expect(check("x", schema) == [#"error spec: Invalid value: "string": spec in body must be of type object: "string""#])
    }

    @Test func integralDoublesAreIntegersAndNumbersAcceptBoth() {
        let schema: SchemaNode = .object(["n": .integer, "r": .number])
        #expect(check(["n": 3.0, "r": 2], schema).isEmpty)
        #expect(check(["n": 3.5], schema) == [#"error spec.n: Invalid value: "number": spec.n in body must be of type integer: "number""#])
    }

    @Test func missingRequiredFieldsAreAllReported() {
        let schema: SchemaNode = .object(["a": .string.req, "b": .string.req, "c": .string])
        #expect(check(["c": "x"], schema) == ["error spec.a: Required value", "error spec.b: Required value"])
        // A null is pruned by the API server, so it counts as missing.
        #expect(check(["a": nil, "b": "y"], schema) == ["error spec.a: Required value"])
    }

    @Test func requiredFieldWithADefaultIsFilledNotReported() {
        let schema: SchemaNode = .object(["type": .string.enumOf("a", "b").def("a").req])
        #expect(check([:], schema).isEmpty)
    }

    @Test func enumListsTheSupportedValues() {
        let schema: SchemaNode = .object(["transport": .string.enumOf("stdio", "streamable-http", "sse")])
        #expect(check(["transport": "websocket"], schema) == [
            #"error spec.transport: Unsupported value: "websocket": supported values: "stdio", "streamable-http", "sse""#,
        ])
        #expect(check(["transport": "sse"], schema).isEmpty)
    }

    @Test func patternIsAnUnanchoredSearchLikeGo() {
        let schema: SchemaNode = .object(["url": .string.pattern("^https?://"), "word": .string.pattern("b+")])
        #expect(check(["url": "ftp://x"], schema) == [#"error spec.url: Invalid value: "ftp://x": spec.url in body should match '^https?://'"#])
        #expect(check(["url": "https://x", "word": "abba"], schema).isEmpty)
    }

    @Test func minimumAndMaximum() {
        let schema: SchemaNode = .object(["port": .int32.range(1...65535), "count": .int32.min(0)])
        #expect(check(["port": 0], schema) == ["error spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1"])
        #expect(check(["port": 70000], schema) == ["error spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535"])
        #expect(check(["port": 65535, "count": 0], schema).isEmpty)
        #expect(check(["count": -1], schema) == ["error spec.count: Invalid value: -1: spec.count in body should be greater than or equal to 0"])
    }

    @Test func stringLengthsCountCharacters() {
        let schema: SchemaNode = .object(["name": .string.minLen(1).maxLen(3)])
        #expect(check(["name": ""], schema) == [#"error spec.name: Invalid value: "": spec.name in body should be at least 1 chars long"#])
        #expect(check(["name": "abcd"], schema) == ["error spec.name: Too long: may not be longer than 3"])
        #expect(check(["name": "µµµ"], schema).isEmpty)
    }

    @Test func itemAndPropertyCounts() {
        let schema: SchemaNode = .object(["p": .list(.string).minItems(1).maxItems(2), "h": .map(.string).maxProps(1)])
        #expect(check(["p": []], schema) == ["error spec.p: Invalid value: 0: spec.p in body should have at least 1 items"])
        #expect(check(["p": ["a", "b", "c"]], schema) == ["error spec.p: Too many: 3: must have at most 2 items"])
        #expect(check(["h": ["a": "1", "b": "2"]], schema) == ["error spec.h: Too many: 2: must have at most 1 items"])
    }

    @Test func listTypesRejectDuplicates() {
        let schema: SchemaNode = .object([
            "tags": .list(.string).set,
            "env": .list(.object(["name": .string.req, "value": .string])).listMap("name"),
        ])
        #expect(check(["tags": ["a", "b", "a"]], schema) == [#"error spec.tags[2]: Duplicate value: "a""#])
        #expect(check(["env": [["name": "A", "value": "1"], ["name": "A", "value": "2"]]], schema) == [#"error spec.env[1]: Duplicate value: {"name":"A"}"#])
    }

    @Test func nestedPathsUseIndexesAndMapKeys() {
        let schema: SchemaNode = .object([
            "env": .list(.object(["name": .string.req, "value": .string.req])),
            "backends": .map(.object(["type": .string.enumOf("a")])),
        ])
        // In walk order (the input's key order); `SchemaValidation` sorts by path.
        #expect(check(["env": [["name": "A", "value": "1"], ["name": "B"]], "backends": ["gh": ["type": "b"]]], schema) == [
            "error spec.env[1].value: Required value",
            #"error spec.backends.gh.type: Unsupported value: "b": supported values: "a""#,
        ])
    }

    @Test func celRulesReportTheirMessageAtTheirNode() {
        let schema: SchemaNode = .object([
            "store": .object(["provider": .string, "address": .string])
                .rule("self.provider == 'redis' ? has(self.address) : true", "address is required") { s in
                    s.string("provider") != "redis" || s.has("address")
                },
        ])
        #expect(check(["store": ["provider": "redis"]], schema) == [#"error spec.store: Invalid value: "object": address is required"#])
        #expect(check(["store": ["provider": "redis", "address": "r:6379"]], schema).isEmpty)
        #expect(check(["store": ["provider": "memory"]], schema).isEmpty)
    }

    @Test func rulesDoNotRunOnAValueOfTheWrongType() {
        let schema: SchemaNode = .object(["s": .object([:]).rule("false", "never") { _ in false }])
        #expect(check(["s": "x"], schema) == [#"error spec.s: Invalid value: "string": spec.s in body must be of type object: "string""#])
    }

    @Test func unknownFieldsAreWarningsUnlessPreserved() {
        let schema: SchemaNode = .object(["a": .string, "free": .freeform, "cfg": .object(["x": .string]).preserveUnknown])
        let found = check(["a": "1", "zzz": 1, "free": ["anything": [1, 2]], "cfg": ["y": true]], schema)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("warning spec.zzz: unknown field") == true)
    }

    @Test func intOrStringAcceptsBothAndNothingElse() {
        let schema: SchemaNode = .object(["q": .intOrString])
        #expect(check(["q": 1], schema).isEmpty)
        #expect(check(["q": "500m"], schema).isEmpty)
        #expect(check(["q": true], schema) == [#"error spec.q: Invalid value: "boolean": spec.q in body must be of type integer,string: "boolean""#])
    }

    @Test func dateTimeFormat() {
        let schema: SchemaNode = .object(["t": .dateTime])
        #expect(check(["t": "2026-11-23T10:00:00Z"], schema).isEmpty)
        #expect(check(["t": "2026-11-23T10:00:00.5+01:00"], schema).isEmpty)
        #expect(check(["t": "yesterday"], schema) == [#"error spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday""#])
    }

    @Test func defaultsFillOnlyInsidePresentObjects() {
        let schema: SchemaNode = .object([
            "port": .int32.def(8080),
            "store": .object(["db": .int32.def(0), "provider": .string]),
            "items": .list(.object(["ro": .boolean.def(false), "name": .string])),
            "labels": .map(.object(["v": .string.def("x")])),
        ])
        let out = SchemaValidator.applyingDefaults(["items": [["name": "a"]], "labels": ["k": [:]], "port": 9090], schema)
        #expect(out == ["items": [["name": "a", "ro": false]], "labels": ["k": ["v": "x"]], "port": 9090])
        #expect(out["store"] == nil)
        #expect(SchemaValidator.applyingDefaults(["store": ["provider": "redis"]], schema)["store"] == ["provider": "redis", "db": 0])
    }

    @Test func legacyStringFormIsAWarning() {
        let schema: SchemaNode = .object(["ref": .object(["name": .string.req]).acceptingLegacyString(warning: "old form")])
        #expect(check(["ref": "g"], schema) == ["warning spec.ref: old form"])
        #expect(check(["ref": ["name": "g"]], schema).isEmpty)
        #expect(check(["ref": 3], schema) == [#"error spec.ref: Invalid value: "integer": spec.ref in body must be of type object: "integer""#])
    }

    @Test func goDurations() {
        #expect(GoDuration.seconds("30s") == 30)
        #expect(GoDuration.seconds("1m30s") == 90)
        #expect(GoDuration.seconds("1.5h") == 5400)
        #expect(GoDuration.seconds("250ms") == 0.25)
        #expect(GoDuration.seconds("-2s") == -2)
        #expect(GoDuration.seconds("0") == 0)
        #expect(GoDuration.seconds("1d") == nil)
        #expect(GoDuration.seconds("s") == nil)
        #expect(GoDuration.seconds("") == nil)
    }

    @Test func everyPatternOfEveryKindCompiles() {
        var patterns = 0
        for kind in SchemaRegistry.all {
            kind.root.walk { path, node in
                if let p = node.pattern {
                    patterns += 1
                    #expect(p.isValid, "\(kind.groupKind.kind) \(path): \(p.source)")
                }
            }
        }
        #expect(patterns > 30)
    }
}
