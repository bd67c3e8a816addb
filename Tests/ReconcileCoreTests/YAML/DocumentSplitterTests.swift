import Testing
@testable import ReconcileCore

/// `DocumentSplitter` cuts where YAML says a document marker is, whatever the chunk sizes, and
/// `YAMLDocumentStream` gives what `YAMLReader.parseStream` gives for the whole stream.
@Suite struct DocumentSplitterTests {
    struct Cut: Equatable, CustomStringConvertible {
        var text: String
        var line: Int
        var offset: Int
        var endsBeforeMarker: Bool
        var description: String { "\(line)@\(offset)\(endsBeforeMarker ? "+---" : ""): \(text.debugDescription)" }
    }

    static func split(_ bytes: [UInt8], chunkSize: Int) -> [Cut] {
        var splitter = DocumentSplitter()
        var cuts: [Cut] = []
        func take(_ p: DocumentSplitter.Piece) {
            if p.endsBeforeMarker { #expect(p.bytes.suffix(3) == [0x2D, 0x2D, 0x2D]) }
            cuts.append(Cut(text: String(decoding: p.text, as: UTF8.self), line: p.line, offset: p.offset, endsBeforeMarker: p.endsBeforeMarker))
        }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            splitter.feed(bytes[start..<end], take)
            start = end
        }
        splitter.finish(take)
        return cuts
    }

    /// The pieces of `text`, checked to be the same for every chunk size and to add up to the text.
    func pieces(_ text: String) -> [Cut] {
        let bytes = Array(text.utf8)
        let whole = Self.split(bytes, chunkSize: max(1, bytes.count))
        for size in [1, 2, 3, 4, 5, 7, 64] {
            #expect(Self.split(bytes, chunkSize: size) == whole, "chunk size \(size) of \(text.debugDescription)")
        }
        #expect(whole.map(\.text).joined() == text)
        var offset = 0
        for cut in whole {
            #expect(cut.offset == offset)
            offset += cut.text.utf8.count
        }
        return whole
    }

    func cut(_ text: String, _ line: Int, _ offset: Int, marker: Bool = false) -> Cut {
        Cut(text: text, line: line, offset: offset, endsBeforeMarker: marker)
    }

    @Test func cutsBeforeEachStartMarkerAfterContent() {
        #expect(pieces("a: 1\n---\nb: 2\n---\nc: 3\n") == [
            cut("a: 1\n", 1, 0, marker: true), cut("---\nb: 2\n", 2, 5, marker: true), cut("---\nc: 3\n", 4, 14),
        ])
        // The first document's own `---` does not cut.
        #expect(pieces("---\na\n---\nb\n") == [cut("---\na\n", 1, 0, marker: true), cut("---\nb\n", 3, 6)])
    }

    @Test func markerNeedsBlankOrEndAfterIt() {
        #expect(pieces("a\n--- b\n---\tc\n---") == [cut("a\n", 1, 0, marker: true), cut("--- b\n", 2, 2, marker: true), cut("---\tc\n", 3, 8, marker: true), cut("---", 4, 14)])
        #expect(pieces("a\n---b\n----\n --- \n...x\n").count == 1)
    }

    @Test func endMarkerCutsAfterItsLine() {
        #expect(pieces("a\n... # end\nb\n...\n") == [cut("a\n... # end\n", 1, 0), cut("b\n...\n", 3, 12)])
        #expect(pieces("a\n...\n---\nb\n") == [cut("a\n...\n", 1, 0), cut("---\nb\n", 3, 6)])
    }

    @Test func directivesAndCommentsStayWithTheFollowingDocument() {
        #expect(pieces("a\n...\n%YAML 1.2\n%TAG !e! tag:e.com:\n# c\n---\nb\n") == [
            cut("a\n...\n", 1, 0), cut("%YAML 1.2\n%TAG !e! tag:e.com:\n# c\n---\nb\n", 3, 6),
        ])
        // A stream's first document need not start with `---`; comments before it are no content.
        #expect(pieces("# head\n\n---\na\n---\nb\n") == [cut("# head\n\n---\na\n", 1, 0, marker: true), cut("---\nb\n", 5, 14)])
        #expect(pieces("a\n---\n# only a comment\n---\nb\n") == [
            cut("a\n", 1, 0, marker: true), cut("---\n# only a comment\n", 2, 2, marker: true), cut("---\nb\n", 4, 23),
        ])
    }

    @Test func blockScalarOnTheMarkerLineAndMarkerInsideOne() {
        #expect(pieces("--- |\n  text\n---\nnext\n") == [cut("--- |\n  text\n", 1, 0, marker: true), cut("---\nnext\n", 3, 13)])
        // At column 0 a marker ends a block scalar, as the parser does.
        #expect(pieces("a: |\n  x\n---\ny\n") == [cut("a: |\n  x\n", 1, 0, marker: true), cut("---\ny\n", 3, 9)])
        // Indented, it is text.
        #expect(pieces("a: |\n  x\n  ---\ny\n").count == 1)
    }

    @Test func lineBreaksOfEveryKind() {
        #expect(pieces("a\r\n---\r\nb\r\n") == [cut("a\r\n", 1, 0, marker: true), cut("---\r\nb\r\n", 2, 3)])
        #expect(pieces("a\r---\rb\r...\r") == [cut("a\r", 1, 0, marker: true), cut("---\rb\r...\r", 2, 2)])
        #expect(pieces("a\n---\nb") == [cut("a\n", 1, 0, marker: true), cut("---\nb", 2, 2)])
        #expect(pieces("a\n---") == [cut("a\n", 1, 0, marker: true), cut("---", 2, 2)])
        #expect(pieces("") == [])
    }

    @Test func byteOrderMarkOnlyAtTheStart() {
        #expect(pieces("\u{FEFF}# c\n%YAML 1.2\n---\na\n").count == 1)
        #expect(pieces("\u{FEFF}a\n---\nb\n") == [cut("\u{FEFF}a\n", 1, 0, marker: true), cut("---\nb\n", 2, 5)])
    }

    @Test func multiByteCharactersAcrossChunks() {
        #expect(pieces("a: é😀\n---\nb: ü\n") == [cut("a: é😀\n", 1, 0, marker: true), cut("---\nb: ü\n", 2, 10)])
    }

    // MARK: - Parsing the pieces

    func sameResult(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        for positions in [false, true] {
            let whole = Result { () throws(SyntaxError) in try YAMLReader.parseStream(bytes: bytes, recordPositions: positions) }
            for size in [1, 3, 16, max(1, bytes.count)] {
                let split = Result { () throws(SyntaxError) in try YAMLDocumentStream.parseStream(bytes: bytes, chunkSize: size, recordPositions: positions) }
                #expect(Self.same(whole, split), "chunk size \(size): \(text.debugDescription)", sourceLocation: sourceLocation)
            }
            // Pieces parsed out of turn: a batch is parsed only when the stream takes it, up to
            // `window` batches after it was cut, with its aliases counted from zero.
            for (window, batchBytes) in [(1, 1), (3, 1), (2, 10)] {
                let deferred = PieceParser(window: window, batchBytes: batchBytes) { work in { work() } }
                let split = Result { () throws(SyntaxError) in try YAMLDocumentStream.parseStream(bytes: bytes, chunkSize: 3, recordPositions: positions, parser: deferred) }
                #expect(Self.same(whole, split), "window \(window), batches of \(batchBytes) bytes: \(text.debugDescription)", sourceLocation: sourceLocation)
            }
        }
    }

    static func same(_ a: Result<[ParsedDocument], SyntaxError>, _ b: Result<[ParsedDocument], SyntaxError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)):
            return x.count == y.count && zip(x, y).allSatisfy {
                YAMLConformanceTests.sameData($0.value, $1.value) && $0.position == $1.position && $0.fieldPositions == $1.fieldPositions
            }
        case (.failure(let x), .failure(let y)):
            return x == y
        default:
            return false
        }
    }

    @Test func piecesParseAsTheWholeStream() {
        for text in [
            "a: 1\n---\nb: [1, 2]\n...\n%YAML 1.2\n---\nc: &x {d: 1}\ne: *x\n",
            "--- |\n  text\n---\n--- >\n folded\n\n...\n",
            "a: |\n  x\n---\ny\n",
            "# only\n# comments\n",
            "---\n---\n...\n---\n",
            "\u{FEFF}a: 1\n---\nb: 2\n",
            "a\n...\n\u{FEFF}b\n",  // a mark after the start is content, not skipped
            "a: 1\r\n---\r\nb: 2\r\n",
            "plain\n  continued\n---\nnext\n",
        ] {
            sameResult(text)
        }
    }

    @Test func errorsAreTheWholeStreamsErrors() throws {
        for text in [
            "a: \"open\n---\nb: 1\n",  // an unterminated string meets the marker, not the end
            "a: [1, 2\n---\nb: 1\n",
            "a: 1\n---\nb: 1\n  c: 2\n---\nd: 1\n",  // an error in the 2nd document
            "a: 1\n---\nb: 1\n---\nc: [\n",  // ... in the 3rd
            "a: 1\n...\n%YAML 1.2\nb: 1\n",  // a directive without `---`
            "a: 1\n...\n%FOO\n...\n",
            "a: *nope\n---\nb: \u{7}\n",  // an encoding error later in the stream wins
            "a: 1\n---\nb: \u{1}\n---\nc: [\n",
            "k: &a [x]\n---\nk: *a\n",  // anchors do not cross documents
        ] {
            sameResult(text)
        }
        // The 3rd document's error is on the file's line 5.
        let e = try #require(Result { () throws(SyntaxError) in try YAMLDocumentStream.parseStream(bytes: Array("a: 1\n---\nb: 1\n---\nc: [\n".utf8), chunkSize: 4) }.failure)
        #expect(e.position == SourcePosition(line: 5, column: 4))  // the `[` of "c: ["
        #expect(e == Result { () throws(SyntaxError) in try YAMLReader.parseStream(bytes: Array("a: 1\n---\nb: 1\n---\nc: [\n".utf8)) }.failure)
    }

    @Test func aliasBudgetCountsOverTheStream() {
        // Each document stays under the cap; together they pass it, in both readings.
        var doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        doc = (0..<12).map { _ in doc }.joined(separator: "---\n")
        let whole = Result { () throws(SyntaxError) in try YAMLReader.parseStream(bytes: Array(doc.utf8)) }
        #expect(whole.failure?.message.contains("billion laughs") == true)
        sameResult(doc)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
