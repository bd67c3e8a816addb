import Foundation
import Testing
@testable import ReconcileCore

@Suite struct YAMLWriterTests {
    /// The eight-bytes-at-once check agrees with the byte check: every byte value in every
    /// position among allowed neighbours, and every pair of byte values in two positions.
    @Test func identifierBytesAgreeWithTheByteCheck() {
        let allowed = Array("aZ09-./:@_".utf8)
        for position in 0..<8 {
            for b in 0...255 {
                var bytes = (0..<8).map { allowed[$0 % allowed.count] }
                bytes[position] = UInt8(b)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(YAMLWriter.identifierBytes(word) == YAMLWriter.isIdentifierByte(UInt8(b)), "byte \(b) at \(position)")
            }
        }
        var disagreements = 0
        for a in 0...255 {
            for b in 0...255 {
                let bytes: [UInt8] = [UInt8(a), 0x61, 0x2D, UInt8(b), 0x5A, 0x39, 0x5F, 0x40]
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let expected = bytes.allSatisfy(YAMLWriter.isIdentifierByte)
                if YAMLWriter.identifierBytes(word) != expected { disagreements += 1 }
            }
        }
        #expect(disagreements == 0)
        #expect(YAMLWriter.write(["a-very.long/identifier:with@all_of-them9": "x"]) == "a-very.long/identifier:with@all_of-them9: x\n")
        #expect(YAMLWriter.write(["key": "abcdefgh ijklmnop"]) == "key: abcdefgh ijklmnop\n")
        #expect(YAMLWriter.write(["key": "abcdefgh:"]) == "key: 'abcdefgh:'\n")
    }

    @Test func kubectlLayout() {
        let v: Value = [
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": ["name": "web", "labels": ["app": "web"], "annotations": .object(OrderedMap())],
            "spec": [
                "containers": [
                    ["name": "app", "image": "nginx:1.25", "args": ["--port", "8080"], "env": []],
                ],
                "matrix": [[1, 2], []],
            ],
        ]
        #expect(YAMLWriter.write(v) == """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
              annotations: {}
            spec:
              containers:
              - name: app
                image: nginx:1.25
                args:
                - --port
                - '8080'
                env: []
              matrix:
              - - 1
                - 2
              - []

            """)
    }

    @Test func quotesOnlyWhereNeeded() {
        let cases: [(String, String)] = [
            ("plain", "plain"), ("true", "'true'"), ("0123", "'0123'"), ("1e3", "'1e3'"), ("null", "'null'"),
            ("~", "'~'"), ("", "''"), (" lead", "' lead'"), ("trail ", "'trail '"), ("a: b", "'a: b'"),
            ("x #y", "'x #y'"), ("#x", "'#x'"), ("- a", "'- a'"), ("-", "'-'"), ("yes", "'yes'"), ("0x1F", "'0x1F'"),
            ("it's", "it's"), ("'q'", "'''q'''"), ("tab\there", "\"tab\\there\""), ("a:b", "a:b"), ("1.25", "'1.25'"),
            ("10Mi", "10Mi"), ("100m", "100m"), ("http://x:80/a#b", "http://x:80/a#b"), ("---", "'---'"),
            ("<<", "'<<'"), ("bell\u{7}", "\"bell\\x07\""), ("ünï", "ünï"), ("2024-01-01", "'2024-01-01'"),
        ]
        for (input, expected) in cases {
            #expect(YAMLWriter.write(.string(input)) == expected + "\n", "for \(input.debugDescription)")
        }
    }

    @Test func multiLineStringsUseLiteralBlocks() throws {
        #expect(YAMLWriter.write(["script": "echo a\necho b\n"]) == "script: |\n  echo a\n  echo b\n")
        #expect(YAMLWriter.write(["s": "a\nb"]) == "s: |-\n  a\n  b\n")
        #expect(YAMLWriter.write(["s": "a\n\n"]) == "s: |+\n  a\n\n")
        #expect(YAMLWriter.write(["s": "  indented\nx\n"]) == "s: |2\n    indented\n  x\n")
        #expect(YAMLWriter.write(["s": "trailing \nspace"]) == "s: \"trailing \\nspace\"\n")
        #expect(YAMLWriter.write([["a": "x\ny\n"]]) == "- a: |\n    x\n    y\n")
    }

    @Test func streams() throws {
        let text = YAMLWriter.writeStream([["a": 1], "x", nil, .double(.infinity)])
        #expect(text == "a: 1\n---\nx\n---\nnull\n---\n.inf\n")
        #expect(try YAMLReader.parseStream(text).map(\.value) == [["a": 1], "x", nil, .double(.infinity)])
    }

    // MARK: Round trips

    static func sharedDirectory() -> URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let shared = dir.deletingLastPathComponent().appendingPathComponent("shared")
                return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static func yamlFiles(under dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { ["yaml", "yml"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    @Test func roundTripsSharedExamplesAndCRDs() throws {
        guard let shared = Self.sharedDirectory() else { return }
        let files = Self.yamlFiles(under: shared.appendingPathComponent("toolhive-examples"))
            + Self.yamlFiles(under: shared.appendingPathComponent("toolhive-crds"))
        #expect(files.count > 20)
        var documents = 0
        for file in files {
            let bytes = [UInt8]((try? Data(contentsOf: file)) ?? Data())
            let docs = try YAMLReader.parseStream(bytes: bytes)
            for doc in docs {
                documents += 1
                let text = YAMLWriter.write(doc.value)
                let back = try YAMLReader.parse(text)
                #expect(back == doc.value, "\(file.lastPathComponent) changed in a round trip")
            }
            let stream = YAMLWriter.writeStream(docs.map(\.value))
            #expect(try YAMLReader.parseStream(stream).map(\.value) == docs.map(\.value))
        }
        #expect(documents > 20)
    }

    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let trickyStrings = [
        "yes", "no", "on", "0x1F", "1e3", "-", "- a", "a: b", "#x", " lead", "trail ", "multi\nline\n",
        "tab\there", "", "null", "~", "Ünïcødé ✓ 日本", "true", "False", "0123", "0o17", ".inf", "-.5", "+1",
        "key: value # c", "[a]", "{b}", "*alias", "&anchor", "!tag", "%dir", "@at", "`tick", "'", "\"", "\\",
        "a\n\nb", "  both  ", "\n", "\nlead", "end\n\n\n", "x\r\ny", "\u{85}next", "line\u{2028}sep", "?", ":",
        "? q", ": v", "a,b", "---", "...", "--- x", "<<", "=", "12:30", "1_000", "2024-01-01T00:00:00Z",
        "emoji 😀", "\u{0}", "\u{1B}[0m", "back\\slash", "quote\"d", "mixed 'quotes\" here", " ", "a ", "|", ">",
        "| x", "> y", "- - x", "x\n  indented\nback", "  first line indented\nsecond",
    ]

    static func randomValue(_ g: inout Generator, depth: Int) -> Value {
        let pick = depth > 3 ? g.int(6) : g.int(9)
        switch pick {
        case 0: return .null
        case 1: return .bool(g.int(2) == 0)
        case 2: return .int(Int64(bitPattern: g.next()) >> UInt64(g.int(60)))
        case 3:
            let doubles: [Double] = [0.5, -1.25, 1e300, 1e-7, 3.0, .infinity, -.infinity, 123456.789]
            return .double(doubles[g.int(doubles.count)])
        case 4, 5: return .string(randomString(&g))
        case 6:
            return .array((0..<g.int(4)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            var m = OrderedMap()
            for _ in 0..<g.int(5) { m[randomString(&g)] = randomValue(&g, depth: depth + 1) }
            return .object(m)
        }
    }

    static func randomString(_ g: inout Generator) -> String {
        if g.int(3) == 0 {
            let pieces = ["a", "Z", "0", "9", " ", ":", "#", "-", "'", "\"", "\n", "\t", "é", "!", ",", "[", "}", "&", "*", "."]
            return (0..<g.int(8)).map { _ in pieces[g.int(pieces.count)] }.joined()
        }
        return trickyStrings[g.int(trickyStrings.count)]
    }

    @Test func roundTripsGeneratedTrees() throws {
        var g = Generator(state: 20_251_123)
        for round in 0..<3000 {
            let v = Self.randomValue(&g, depth: 0)
            let text = YAMLWriter.write(v)
            let back: Value
            do {
                back = try YAMLReader.parse(text)
            } catch {
                Issue.record("round \(round): cannot read what the writer wrote: \(error)\n\(text)")
                continue
            }
            #expect(YAMLConformanceTests.sameData(back, v), "round \(round):\n\(text)")
        }
    }

    @Test func roundTripsEveryTrickyStringAsValueAndKey() throws {
        for s in Self.trickyStrings {
            let v: Value = ["k": .string(s), "list": [.string(s)], .init(stringLiteral: s): [["nested": .string(s)]]]
            let v2: Value = .object(OrderedMap([(s, .string(s))]))
            for value in [v, v2, .string(s)] {
                let text = YAMLWriter.write(value)
                #expect((try? YAMLReader.parse(text)) == value, "\(s.debugDescription) →\n\(text)")
            }
        }
    }
}
