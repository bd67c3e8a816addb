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
///
/// Pieces may be parsed elsewhere while the stream goes on cutting (`PieceParser`); their results
/// are taken in stream order, so the documents and the error do not depend on where.
public struct YAMLDocumentStream: Sendable {
    private var splitter = DocumentSplitter()
    private let recordPositions: Bool
    private let detacher: ListItemDetacher
    private let parser: PieceParser
    /// Pieces cut and not yet handed to `parser`, and their size.
    private var batch: [DocumentSplitter.Piece] = []
    private var batchBytes = 0
    /// Batches handed to `parser` whose results are not taken yet, oldest first.
    private var inFlight: [(pieces: [DocumentSplitter.Piece], results: PieceParser.Pending)] = []
    private var aliasNodes = 0
    /// The first syntax error, or the first encoding error (which replaces a syntax error).
    private var failure: SyntaxError?
    private var encodingFailed = false

    /// detacher: takes each document's `items` out of its tree as they are read (loading Lists).
    /// parser: where pieces are checked and parsed (in the caller's thread unless it says).
    public init(recordPositions: Bool = false, detacher: ListItemDetacher = .off, parser: PieceParser = .inline) {
        self.recordPositions = recordPositions
        self.detacher = detacher
        self.parser = parser
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
        if !batch.isEmpty { startBatch(body) }
        while !inFlight.isEmpty { takeOldestBatch(body) }
        if let failure { throw failure }
    }

    private mutating func read(_ piece: DocumentSplitter.Piece, _ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        guard parser.window > 0 else {
            if encodingFailed { return }
            accept(Self.checkAndParse(piece, recordPositions: recordPositions, detacher: detacher, parsing: failure == nil), piece, body)
            return
        }
        batch.append(piece)
        batchBytes += piece.bytes.count
        if batchBytes >= parser.batchBytes { startBatch(body) }
    }

    /// Hands the gathered pieces to `parser`, then takes the oldest batch's results once more
    /// than `window` batches are out.
    private mutating func startBatch(_ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        let pieces = batch
        batch = []
        batchBytes = 0
        // Nothing after an encoding error is read, and after a syntax error only the encoding is
        // checked (`accept` ignores the rest): no work is started for what would be ignored.
        if encodingFailed { return }
        let parsing = failure == nil
        let work: PieceParser.Work = { [recordPositions, detacher] in
            pieces.map { Self.checkAndParse($0, recordPositions: recordPositions, detacher: detacher, parsing: parsing) }
        }
        inFlight.append((pieces, parser.start(work)))
        if inFlight.count > parser.window { takeOldestBatch(body) }
    }

    private mutating func takeOldestBatch(_ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        let (pieces, pending) = inFlight.removeFirst()
        for (piece, result) in zip(pieces, pending()) { accept(result, piece, body) }
    }

    /// What reading one piece on its own gives: its encoding check, then (when `parsing`) its
    /// documents with the aliases they expand, counted from zero. Pure, so it may run on any thread.
    static func checkAndParse(_ piece: DocumentSplitter.Piece, recordPositions: Bool, detacher: ListItemDetacher, parsing: Bool) -> PieceParser.Result {
        do throws(SyntaxError) {
            try YAMLInputCheck.validate(piece.bytes, firstLine: piece.line)
        } catch {
            return PieceParser.Result(encodingError: error, parsed: nil)
        }
        guard parsing else { return PieceParser.Result(encodingError: nil, parsed: nil) }
        var aliasNodes = 0
        do throws(SyntaxError) {
            let docs = try parse(piece, recordPositions: recordPositions, detacher: detacher, aliasNodes: &aliasNodes)
            return PieceParser.Result(encodingError: nil, parsed: .success(PieceParser.Result.Documents(docs: docs, aliasNodes: aliasNodes)))
        } catch {
            return PieceParser.Result(encodingError: nil, parsed: .failure(error))
        }
    }

    /// Takes a piece's result in stream order, as reading the pieces one after another would: an
    /// encoding error stops everything, after a syntax error only encoding is still checked, and
    /// the alias budget counts over the stream. A piece that failed on its own, or whose aliases
    /// overrun the budget carried to it, is parsed again here with that budget, so its error is
    /// the one the stream gives.
    private mutating func accept(_ result: PieceParser.Result, _ piece: DocumentSplitter.Piece, _ body: (inout [ParsedDocument], DocumentSplitter.Piece) -> Void) {
        if encodingFailed { return }
        if let error = result.encodingError {
            failure = error
            encodingFailed = true
            return
        }
        // After a syntax error the rest is only checked for an encoding error.
        if failure != nil { return }
        if case .success(var parsed) = result.parsed, aliasNodes + parsed.aliasNodes <= YAMLParser.maxAliasNodes {
            aliasNodes += parsed.aliasNodes
            body(&parsed.docs, piece)
            return
        }
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
    public static func parseStream(bytes: [UInt8], chunkSize: Int, recordPositions: Bool = false, parser: PieceParser = .inline) throws(SyntaxError) -> [ParsedDocument] {
        var stream = YAMLDocumentStream(recordPositions: recordPositions, parser: parser)
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
