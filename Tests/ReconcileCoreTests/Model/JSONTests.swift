import Testing
@testable import ReconcileCore

@Suite struct JSONTests {
    @Test func roundTrip() throws {
        let text = #"{"b":[1,2.5,"x\n\u00e9",true,null],"a":{"c":-3e2}}"#
        let v = try JSONReader.parse(text)
        #expect(v[path: "a.c"] == .double(-300))
        #expect(v["b"]?.arrayValue?[2] == "x\né")
        #expect(try JSONReader.parse(JSONWriter.write(v)) == v)
        #expect(JSONWriter.write(v, pretty: false) == #"{"b":[1,2.5,"x\né",true,null],"a":{"c":-300.0}}"#)
        #expect(JSONWriter.write(v, pretty: false, sortKeys: true).hasPrefix(#"{"a""#))
    }

    @Test func errorsCarryLineAndColumn() {
        do {
            _ = try JSONReader.parse("{\n  \"a\": 1,\n  \"a\": 2\n}")
            Issue.record("duplicate key accepted")
        } catch {
            #expect(error.position == SourcePosition(line: 3, column: 3))
            #expect(error.message.contains("duplicate key"))
        }
        #expect(throws: SyntaxError.self) { try JSONReader.parse("[1,") }
        #expect(throws: SyntaxError.self) { try JSONReader.parse(String(repeating: "[", count: 2000)) }
        #expect(throws: SyntaxError.self) { try JSONReader.parse(bytes: [0x22, 0xFF, 0x22]) }
    }
}
