/// Reads a YAML stream document by document as its bytes arrive: `DocumentSplitter` cuts it into
/// pieces and each piece is checked and parsed on its own, so only one piece's bytes and trees
/// are alive at a time.
///
/// The documents and the error are the ones `YAMLReader.parseStream` gives for the whole stream:
/// pieces start at line starts and carry their first line number, so positions match; the
/// "billion laughs" alias budget is carried from piece to piece, as it counts over the stream; and
/// because the whole-stream reader checks every byte's encoding before parsing anything, an
/// encoding error anywhere in the stream wins over an earlier syntax error. That last rule means
/// the error is only known at the end: documents handed out before `finish` throws are to be
/// thrown away by the caller.
public struct YAMLDocumentStream: Sendable {
    private var splitter = DocumentSplitter()
    private let recordPositions: Bool
    private let detacher: ListItemDetacher
    private var aliasNodes = 0
    /// The first syntax error, or the first encoding error (which replaces a syntax error).
    private var failure: SyntaxError?
    private var encodingFailed = false

    /// detacher: takes each document's `items` out of its tree as they are read (loading Lists).
    public init(recordPositions: Bool = false, detacher: ListItemDetacher = .off) {
        self.recordPositions = recordPositions
        self.detacher = detacher
    }

    /// Adds bytes; `body` gets the documents of every piece they complete, with the piece. The
    /// documents are `body`'s to change: it may release what it has used (a List's taken items).
    public mutating func feed(_ chunk: ArraySlice<UInt8>, _ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        // The splitter is moved out while it calls back into `self` (exclusive access).
        var splitter = DocumentSplitter()
        swap(&splitter, &self.splitter)
        splitter.feed(chunk) { read($0, body) }
        swap(&splitter, &self.splitter)
    }

    /// Ends the stream: `body` gets the last documents; throws the stream's error, if any.
    public mutating func finish(_ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) throws(SyntaxError) {
        var splitter = DocumentSplitter()
        swap(&splitter, &self.splitter)
        splitter.finish { read($0, body) }
        if let failure { throw failure }
    }

    private mutating func read(_ piece: DocumentSplitter.Piece, _ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        if encodingFailed { return }
        do throws(SyntaxError) {
            try YAMLInputCheck.validate(piece.bytes, firstLine: piece.line)
        } catch {
            failure = error
            encodingFailed = true
            return
        }
        // After a syntax error the rest is only checked for an encoding error.
        if failure != nil { return }
        do throws(SyntaxError) {
            var docs = try Self.parse(piece, recordPositions: recordPositions, detacher: detacher, aliasNodes: &aliasNodes)
            body(&docs, piece)
        } catch {
            failure = error
        }
    }

    /// The documents of one piece (without the empty one its borrowed `---` opens).
    static func parse(_ piece: DocumentSplitter.Piece, recordPositions: Bool, detacher: ListItemDetacher = .off, aliasNodes: inout Int) throws(SyntaxError) -> [ParsedDocument] {
        var parser = YAMLParser(piece.bytes, recordPositions: recordPositions, firstLine: piece.line, streamStart: piece.isStreamStart, detacher: detacher)
        parser.aliasNodes = aliasNodes
        var docs = try parser.parseStream()
        aliasNodes = parser.aliasNodes
        if piece.endsBeforeMarker, !docs.isEmpty { docs.removeLast() }
        return docs
    }

    /// A piece's documents again, with field positions (for messages about a document that
    /// already parsed once, so the alias budget need not be charged again).
    public static func withPositions(_ piece: DocumentSplitter.Piece) -> [ParsedDocument]? {
        var budget = 0
        return try? parse(piece, recordPositions: true, aliasNodes: &budget)
    }

    /// A whole stream fed in `chunkSize`-byte chunks: the same result as `YAMLReader.parseStream`.
    public static func parseStream(bytes: [UInt8], chunkSize: Int, recordPositions: Bool = false) throws(SyntaxError) -> [ParsedDocument] {
        var stream = YAMLDocumentStream(recordPositions: recordPositions)
        var docs: [ParsedDocument] = []
        var start = 0
        let size = max(1, chunkSize)
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            stream.feed(bytes[start..<end]) { d, _ in docs += d }
            start = end
        }
        try stream.finish { d, _ in docs += d }
        return docs
    }
}
