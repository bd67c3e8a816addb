import Foundation
import Testing
@testable import ReconcileCore

/// Runs the official YAML test suite (`../shared/yaml-test-suite/data`, read-only reference data)
/// through `YAMLReader`. `scripts/yaml-conformance` runs this suite with
/// `YAML_CONFORMANCE_REPORT=1`, which prints every failure and the summary line.
@Suite struct YAMLConformanceTests {
    /// Cases out of scope, with the reason (mirrored in docs/yaml.md).
    static let skipped: [String: String] = [
        "2JQS": "two empty (null) keys in one mapping: a duplicate key, which this reader rejects by design",
        "X38W": "the same key twice (once through an alias): a duplicate key, rejected by design",
    ]

    struct Outcome {
        var passed = 0
        var failed: [(String, String)] = []
        var skipped = 0
    }

    static func suiteDirectory() -> URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let data = dir.deletingLastPathComponent().appendingPathComponent("shared/yaml-test-suite/data")
                return FileManager.default.fileExists(atPath: data.path) ? data : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Every case folder (`ID` or `ID/NN`), sorted.
    static func cases(in data: URL) -> [(id: String, dir: URL)] {
        let fm = FileManager.default
        var out: [(String, URL)] = []
        for id in ((try? fm.contentsOfDirectory(atPath: data.path)) ?? []).sorted() {
            let dir = data.appendingPathComponent(id)
            if fm.fileExists(atPath: dir.appendingPathComponent("in.yaml").path) {
                out.append((id, dir))
                continue
            }
            for sub in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
                let subDir = dir.appendingPathComponent(sub)
                if fm.fileExists(atPath: subDir.appendingPathComponent("in.yaml").path) {
                    out.append(("\(id)/\(sub)", subDir))
                }
            }
        }
        return out
    }

    /// Data equality as JSON sees it: numbers compare by value (1 == 1.0), NaN equals NaN.
    static func sameData(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            let x = a.doubleValue ?? 0, y = b.doubleValue ?? 0
            return x == y || (x.isNaN && y.isNaN)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameData($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], sameData(v, w) else { return false }
            }
            return true
        default:
            return a == b
        }
    }

    static func run(_ data: URL) -> Outcome {
        var outcome = Outcome()
        let fm = FileManager.default
        for (id, dir) in cases(in: data) {
            if skipped[id] != nil {
                outcome.skipped += 1
                continue
            }
            guard let input = fm.contents(atPath: dir.appendingPathComponent("in.yaml").path) else {
                outcome.failed.append((id, "cannot read in.yaml"))
                continue
            }
            let isError = fm.fileExists(atPath: dir.appendingPathComponent("error").path)
            let result: Result<[ParsedDocument], SyntaxError>
            do {
                result = .success(try YAMLReader.parseStream(bytes: [UInt8](input)))
            } catch {
                result = .failure(error)
            }
            if isError {
                if case .success = result {
                    outcome.failed.append((id, "accepted invalid YAML"))
                } else {
                    outcome.passed += 1
                }
                continue
            }
            let docs: [ParsedDocument]
            switch result {
            case .failure(let e):
                outcome.failed.append((id, "rejected: \(e)"))
                continue
            case .success(let d):
                docs = d
            }
            if let json = fm.contents(atPath: dir.appendingPathComponent("in.json").path) {
                do {
                    let expected = try JSONReader.parseStream(bytes: [UInt8](json)).map(\.value)
                    let got = docs.map(\.value)
                    if expected.count == got.count && zip(expected, got).allSatisfy({ sameData($0, $1) }) {
                        outcome.passed += 1
                    } else {
                        let gotText = got.map { JSONWriter.write($0, pretty: false) }.joined(separator: " | ")
                        let expText = expected.map { JSONWriter.write($0, pretty: false) }.joined(separator: " | ")
                        outcome.failed.append((id, "got \(gotText)\n      expected \(expText)"))
                    }
                } catch {
                    outcome.failed.append((id, "cannot read in.json: \(error)"))
                }
            } else {
                // No JSON form (e.g. non-string keys): the stream must load, with as many
                // documents as the expected event list has.
                let events = (try? String(contentsOf: dir.appendingPathComponent("test.event"), encoding: .utf8)) ?? ""
                let expectedDocs = events.split(separator: "\n").filter { $0.hasPrefix("+DOC") }.count
                if expectedDocs == docs.count {
                    outcome.passed += 1
                } else {
                    outcome.failed.append((id, "got \(docs.count) documents, expected \(expectedDocs)"))
                }
            }
        }
        return outcome
    }

    @Test func everyInScopeCasePasses() throws {
        guard let data = Self.suiteDirectory() else { return }  // ../shared absent: nothing to check
        let outcome = Self.run(data)
        if ProcessInfo.processInfo.environment["YAML_CONFORMANCE_REPORT"] == "1" {
            for (id, why) in outcome.failed { print("FAIL \(id): \(why)") }
            print("\(outcome.passed) passed, \(outcome.failed.count) failed, \(outcome.skipped) skipped")
        }
        #expect(outcome.passed + outcome.failed.count + outcome.skipped > 300)
        let failedCases = outcome.failed.map(\.0)
        #expect(failedCases.isEmpty, "run scripts/yaml-conformance for details")
    }

    /// Every case, valid or not, read document by document (`YAMLDocumentStream`) in chunks of
    /// 1, 7 and all bytes: the same documents, positions and field positions, or the same error,
    /// as the whole stream. Shows that cutting at document markers never changes a result.
    @Test func splitReadingMatchesWholeStream() throws {
        guard let data = Self.suiteDirectory() else { return }  // ../shared absent: nothing to check
        var compared = 0
        var differing: [String] = []
        for (id, dir) in Self.cases(in: data) {
            guard let input = FileManager.default.contents(atPath: dir.appendingPathComponent("in.yaml").path) else { continue }
            let bytes = [UInt8](input)
            let whole = Result { () throws(SyntaxError) in try YAMLReader.parseStream(bytes: bytes, recordPositions: true) }
            for size in [1, 7, max(1, bytes.count)] {
                let split = Result { () throws(SyntaxError) in try YAMLDocumentStream.parseStream(bytes: bytes, chunkSize: size, recordPositions: true) }
                if !DocumentSplitterTests.same(whole, split) { differing.append("\(id) (chunk size \(size))") }
            }
            compared += 1
        }
        if ProcessInfo.processInfo.environment["YAML_CONFORMANCE_REPORT"] == "1" {
            for id in differing { print("SPLIT DIFFERS \(id)") }
            print("split reading: \(compared - Set(differing.map { $0.prefix { $0 != " " } }).count) of \(compared) cases agree with the whole stream")
        }
        #expect(compared > 300)
        #expect(differing.isEmpty, "split reading differs: \(differing.prefix(10))")
    }
}
