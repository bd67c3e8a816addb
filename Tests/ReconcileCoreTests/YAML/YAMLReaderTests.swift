import Foundation
import Testing
@testable import ReconcileCore

@Suite struct YAMLReaderTests {
    func parse(_ text: String) throws -> Value { try YAMLReader.parse(text) }

    func error(_ text: String) -> SyntaxError? {
        do {
            _ = try YAMLReader.parseStream(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func kubectlStyleManifest() throws {
        let v = try parse("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, tier: "1"}
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    args: ["--port", "8080"]
                    ports:
                    - containerPort: 8080
                      protocol: TCP
            """)
        #expect(v[path: "metadata.name"] == "web")
        #expect(v[path: "metadata.labels.tier"] == "1")
        #expect(v[path: "spec.replicas"] == .int(3))
        let container = v[path: "spec.template.spec.containers"]?.arrayValue?.first
        #expect(container?["image"] == "nginx:1.25")
        #expect(container?["args"] == ["--port", "8080"])
        #expect(container?["ports"] == [["containerPort": 8080, "protocol": "TCP"]])
    }

    @Test func scalarStyles() throws {
        let v = try parse("""
            plain: hello world
            single: 'it''s # not a comment'
            double: "tab\\there \\"q\\" \\x41\\u00e9\\U0001F600 \\N\\_\\L\\P"
            folded plain: first
              second

              third
            url: http://example.com:8080/path
            colon:inside: yes
            hash: a#b
            """)
        #expect(v["plain"] == "hello world")
        #expect(v["single"] == "it's # not a comment")
        #expect(v["double"] == "tab\there \"q\" Aé😀 \u{85}\u{A0}\u{2028}\u{2029}")
        #expect(v["folded plain"] == "first second\nthird")
        #expect(v["url"] == "http://example.com:8080/path")
        #expect(v["colon:inside"] == "yes")
        #expect(v["hash"] == "a#b")
    }

    @Test func quotedLineFolding() throws {
        let v = try parse("a: \"one\n  two\n\n  three \\\n  four\"\nb: 'x\n  y'\n")
        #expect(v["a"] == "one two\nthree four")
        #expect(v["b"] == "x y")
    }

    @Test func blockScalarsChompingAndIndentation() throws {
        let v = try parse("""
            clip: |
              line1
              line2

            strip: |-
              text

            keep: |+
              text

            folded: >
              a
              b

              c
                indented
              d
            explicit: |2
                four spaces kept as two
            last: end
            """)
        #expect(v["clip"] == "line1\nline2\n")
        #expect(v["strip"] == "text")
        #expect(v["keep"] == "text\n\n")
        #expect(v["folded"] == "a b\nc\n  indented\nd\n")
        #expect(v["explicit"] == "  four spaces kept as two\n")
        #expect(v["last"] == "end")
    }

    @Test func flowCollections() throws {
        let v = try parse("""
            a: [1, two, "three", [4], {five: 5}]
            b: {x: 1, y: [a, b], z}
            c: [k: v, ? q : r]
            d: {"json":1, 'single': x}
            e: [
              multi,
              line  # comment
            ]
            f: []
            g: {}
            """)
        #expect(v["a"] == [1, "two", "three", [4], ["five": 5]])
        #expect(v["b"] == ["x": 1, "y": ["a", "b"], "z": nil])
        #expect(v["c"] == [["k": "v"], ["q": "r"]])
        #expect(v["d"] == ["json": 1, "single": "x"])
        #expect(v["e"] == ["multi", "line"])
        #expect(v["f"] == [])
        #expect(v["g"] == .object(OrderedMap()))
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let v = try parse("""
            base: &base
              cpu: 100m
              memory: 64Mi
            extra: &extra {gpu: 1, memory: 1Gi}
            one:
              <<: *base
              memory: 128Mi
            two:
              <<: [*extra, *base]
            list: &l [a, b]
            copy: *l
            quoted:
              "<<": not a merge
            """)
        #expect(v["one"] == ["cpu": "100m", "memory": "128Mi"])
        // Explicit keys win; earlier merged maps win over later ones.
        #expect(v["two"] == ["gpu": 1, "memory": "1Gi", "cpu": "100m"])
        #expect(v["copy"] == ["a", "b"])
        #expect(v["quoted"] == ["<<": "not a merge"])
    }

    @Test func coreSchemaResolution() throws {
        let v = try parse("""
            - 0123
            - "0123"
            - 0x1F
            - 0o17
            - 1e3
            - -1.5
            - .5
            - .inf
            - -.Inf
            - .nan
            - null
            - Null
            - ~
            -
            - true
            - True
            - FALSE
            - yes
            - "true"
            - !!str 123
            - !!int "42"
            - !!float 1
            - !!bool "false"
            - !!null ""
            - ! 12
            - !local 12
            - +12
            - 1_000
            - 9223372036854775808
            """)
        guard case .array(let a) = v, a.count == 29 else {
            Issue.record("not a list of 29: \(v)")
            return
        }
        #expect(a[0] == .int(123))
        #expect(a[1] == .string("0123"))
        #expect(a[2] == .int(31))
        #expect(a[3] == .int(15))
        #expect(a[4] == .double(1000))
        #expect(a[5] == .double(-1.5))
        #expect(a[6] == .double(0.5))
        #expect(a[7] == .double(.infinity))
        #expect(a[8] == .double(-.infinity))
        #expect(a[9].doubleValue?.isNaN == true)
        for k in 10...13 { #expect(a[k] == .null) }
        #expect(a[14] == .bool(true))
        #expect(a[15] == .bool(true))
        #expect(a[16] == .bool(false))
        #expect(a[17] == .string("yes"))
        #expect(a[18] == .string("true"))
        #expect(a[19] == .string("123"))
        #expect(a[20] == .int(42))
        #expect(a[21] == .double(1))
        #expect(a[22] == .bool(false))
        #expect(a[23] == .null)
        #expect(a[24] == .string("12"))
        #expect(a[25] == .string("12"))
        #expect(a[26] == .int(12))
        #expect(a[27] == .string("1_000"))
        #expect(a[28] == .double(9223372036854775808))
        #expect(error("- !!int abc")?.message.contains("!!int") == true)
    }

    @Test func multiDocumentStreamsWithEndMarkersAndComments() throws {
        let docs = try YAMLReader.parseStream("""
            # leading comment
            %YAML 1.2
            ---
            a: 1
            ...
            # between
            ---
            b: 2
            --- # empty document
            ---
            plain scalar
            ...
            """)
        #expect(docs.map(\.value) == [["a": 1], ["b": 2], nil, "plain scalar"])
        #expect(docs[0].position == SourcePosition(line: 3, column: 1))
        #expect(docs[1].position == SourcePosition(line: 7, column: 1))
        #expect(try YAMLReader.parseStream("# only a comment\n").isEmpty)
        #expect(try YAMLReader.parseStream("").isEmpty)
        #expect(throws: SyntaxError.self) { try YAMLReader.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func duplicateKeyErrorHasPosition() {
        let e = error("metadata:\n  name: a\n  labels: {}\n  name: b\n")
        #expect(e?.position == SourcePosition(line: 4, column: 3))
        #expect(e?.message == "duplicate key \"name\"")
        #expect(error("{a: 1, a: 2}")?.position == SourcePosition(line: 1, column: 8))
    }

    @Test func tabIndentationIsAnError() {
        let e = error("spec:\n\treplicas: 1\n")
        #expect(e?.position.line == 2)
        #expect(e?.message.contains("tab") == true)
        #expect(error("a:\n  b: 1\n\tc: 2\n")?.message.contains("tab") == true)
        // Tabs as separation are fine.
        #expect(throws: Never.self) { try YAMLReader.parse("a:\t1 \t# c\nb: [1,\t2]\n") }
    }

    @Test func unterminatedQuoteReportsItsStart() {
        let e = error("a: 1\nb: \"open\n  still open\n")
        #expect(e?.position == SourcePosition(line: 2, column: 4))
        #expect(e?.message.contains("unterminated double-quoted") == true)
        #expect(error("x: 'abc")?.message.contains("unterminated single-quoted") == true)
        #expect(error("x: [a, b")?.message.contains("unterminated flow sequence") == true)
        #expect(error("x: {a: b")?.message.contains("unterminated flow mapping") == true)
    }

    @Test func truncatedDocuments() {
        #expect(error("a:\n  b: 1\n c: 2\n") != nil)
        #expect(error("- a\n- b: [1,\n") != nil)
        #expect(error("a: b: c\n")?.position == SourcePosition(line: 1, column: 5))
        #expect(error("key: \"x\\") != nil)
        #expect(error("key: |\n  text\n bad: 1") != nil)
    }

    @Test func invalidUTF8IsAnErrorWithPosition() {
        var bytes = Array("a: 1\nb: x".utf8)
        bytes.append(0xC3)  // truncated two-byte sequence
        bytes.append(contentsOf: Array("y\n".utf8))
        do {
            _ = try YAMLReader.parseStream(bytes: bytes)
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.position == SourcePosition(line: 2, column: 5))
            #expect(error.message.contains("UTF-8"))
        }
        #expect(throws: SyntaxError.self) { try YAMLReader.parseStream(bytes: [0x61, 0x3A, 0x20, 0xFF]) }
        #expect(throws: SyntaxError.self) { try YAMLReader.parseStream(bytes: [0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80]) }
        #expect(throws: SyntaxError.self) { try YAMLReader.parseStream(bytes: [0x61, 0x00]) }
    }

    @Test func billionLaughsIsRefused() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        let e = error(text)
        #expect(e?.message.contains("billion laughs") == true)
        // Modest alias use is fine.
        #expect(throws: Never.self) { try YAMLReader.parse("a: &a [1, 2]\nb: [*a, *a, *a]\n") }
    }

    @Test func nestingDepthIsLimited() {
        #expect(error(String(repeating: "[", count: 5000))?.message.contains("nesting") == true)
        var deep = ""
        for level in 0..<600 { deep += String(repeating: " ", count: level) + "k:\n" }
        #expect(error(deep)?.message.contains("nesting") == true)
        var deepSeq = ""
        for level in 0..<600 { deepSeq += String(repeating: " ", count: level * 2) + "-\n" }
        #expect(error(deepSeq)?.message.contains("nesting") == true)
    }

    @Test func fieldPositionsForNestedPaths() throws {
        let docs = try YAMLReader.parseStream("""
            kind: Pod
            ---
            spec:
              containers:
              - name: app
                image: nginx
              - name: side
                env: [{name: A, value: b}]
            """, recordPositions: true)
        let p = docs[1].fieldPositions
        #expect(p["spec"] == SourcePosition(line: 3, column: 1))
        #expect(p["spec.containers"] == SourcePosition(line: 4, column: 3))
        #expect(p["spec.containers[0]"] == SourcePosition(line: 5, column: 5))
        #expect(p["spec.containers[0].image"] == SourcePosition(line: 6, column: 5))
        #expect(p["spec.containers[1].env[0].value"] == SourcePosition(line: 8, column: 21))
        #expect(docs[0].fieldPositions["kind"] == SourcePosition(line: 1, column: 1))
        #expect(try YAMLReader.parseStream("a: 1").first?.fieldPositions.isEmpty == true)
    }

    @Test func fieldPositionsOnOneLongLine() throws {
        let entries = (0..<5000).map { "k\($0): é\($0)" }
        let text = "{" + entries.joined(separator: ", ") + "}"
        let doc = try #require(try YAMLReader.parseStream(text, recordPositions: true).first)
        // Columns count characters: every "é" before the key is one column.
        let prefix = "{" + entries[0..<4999].joined(separator: ", ") + ", "
        #expect(doc.fieldPositions["k4999"] == SourcePosition(line: 1, column: prefix.count + 1))
        #expect(doc.fieldPositions["k0"] == SourcePosition(line: 1, column: 2))
    }

    @Test func complexKeysBecomeJSONText() throws {
        let v = try parse("? [a, b]\n: pair\n? {k: v}\n: map\n1: int\n")
        #expect(v == [#"["a","b"]"#: "pair", #"{"k":"v"}"#: "map", "1": "int"])
    }

    /// Found by the fuzzer (Fixtures/bad-input/yaml/fuzz-nested-complex-keys.yaml): nested
    /// explicit keys ("? ? ? ...") made key texts double at each level, hanging the reader.
    @Test func nestedComplexKeysStayLinear() throws {
        let nested = String(repeating: "? ", count: 40) + "x\n"
        #expect(error(nested)?.message.contains("too large") == true)
        // A few levels are fine.
        #expect(try parse("? ? a\n") == [#"{"a":null}"#: nil])
        // The fuzzer's own input loads quickly (or fails cleanly), without hanging.
        var dir = #filePath
        for _ in 0..<4 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let path = dir + "/Fixtures/bad-input/yaml/fuzz-nested-complex-keys.yaml"
        let bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        _ = try? YAMLReader.parseStream(bytes: bytes)
    }

    @Test func windowsLineEndingsAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb:\r\n  - x\r\n".utf8)
        let docs = try YAMLReader.parseStream(bytes: bytes)
        #expect(docs.first?.value == ["a": 1, "b": ["x"]])
    }
}
