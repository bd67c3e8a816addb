/// Cuts a YAML stream into pieces of whole documents as its bytes arrive, so a large snapshot is
/// parsed one document at a time instead of holding the whole file and every tree at once.
///
/// A cut is made only at a document marker that YAML 1.2 makes unconditional: `---` or `...` at
/// the start of a line, followed by a space, a tab, a line break or the end. Such a line ends
/// every node (a block scalar ends, a plain scalar ends, an unclosed quoted scalar or flow
/// collection is an error at the marker), so the text before it parses the same on its own.
///
/// - `...` ends a document: the cut is made after its line (its trailing comment included).
/// - `---` starts a document: the cut is made before its line, but only when the current piece
///   already has content. Comment lines, blank lines and directives (`%YAML`, `%TAG`) before the
///   first `---` of a piece belong to the document that follows them, so they stay together.
/// - A byte order mark is skipped for classifying the stream's first line only, as the parser
///   skips it only at the very start.
///
/// A piece cut before a `---` ends with that marker's three bytes: the parser then meets exactly
/// what it would meet in the whole stream (a marker, not the end of input, which matters for the
/// error an unterminated string gets), and the empty document the marker opens is dropped.
/// Keeping fewer cuts than possible is always safe: a piece may hold several documents.
public struct DocumentSplitter: Sendable {
    /// One piece of the stream: zero or more whole documents (one in practice).
    public struct Piece: Sendable, Equatable {
        /// The piece's bytes, followed by `---` when `endsBeforeMarker`.
        public var bytes: [UInt8]
        /// 1-based line of the piece's first byte in the stream.
        public var line: Int
        /// Byte offset of the piece's first byte in the stream.
        public var offset: Int
        /// The next piece starts with a `---` line, whose three bytes end `bytes`.
        public var endsBeforeMarker: Bool

        /// The piece's own text, without the borrowed marker.
        public var text: ArraySlice<UInt8> { endsBeforeMarker ? bytes.dropLast(3) : bytes[...] }
        /// Only the stream's first piece may start with a byte order mark.
        public var isStreamStart: Bool { offset == 0 }
    }

    /// Bytes not yet emitted, from the current piece's start (`pieceStart`) on.
    private var buffer: [UInt8] = []
    private var pieceStart = 0
    /// Start of the first line not yet classified, and where to resume looking for its end.
    private var lineBegin = 0
    private var scan = 0
    /// Stream offset of `buffer[0]`, line number of `lineBegin` and of `pieceStart`.
    private var bufferOffset = 0
    private var line = 1
    private var pieceLine = 1
    /// The current piece has a line that is not blank, a comment or a directive.
    private var inDocument = false

    public init() {}

    /// Adds bytes; `emit` gets every piece completed by them, in order.
    public mutating func feed(_ chunk: ArraySlice<UInt8>, _ emit: (Piece) -> Void) {
        if pieceStart > 0 {
            // Drop what was emitted, once per chunk (not per piece), so cutting stays linear.
            buffer.removeSubrange(0..<pieceStart)
            bufferOffset += pieceStart
            lineBegin -= pieceStart
            scan -= pieceStart
            pieceStart = 0
        }
        buffer.append(contentsOf: chunk)
        cutLines(final: false, emit)
    }

    /// Ends the stream: `emit` gets the last piece, if any bytes remain.
    public mutating func finish(_ emit: (Piece) -> Void) {
        cutLines(final: true, emit)
        if pieceStart < buffer.count {
            emit(Piece(bytes: Array(buffer[pieceStart...]), line: pieceLine, offset: bufferOffset + pieceStart, endsBeforeMarker: false))
        }
        buffer = []
        pieceStart = 0
        lineBegin = 0
        scan = 0
    }

    /// Classifies every complete line (the last one too when `final`), cutting at markers.
    private mutating func cutLines(final: Bool, _ emit: (Piece) -> Void) {
        let n = buffer.count
        while lineBegin < n {
            var k = scan
            while k < n, buffer[k] != 0x0A, buffer[k] != 0x0D { k += 1 }
            var next = k + 1
            if k == n {
                guard final else {
                    scan = k
                    return
                }
                next = n
            } else if buffer[k] == 0x0D {
                // CR LF is one break; wait for the next byte to know which.
                if k + 1 == n && !final {
                    scan = k
                    return
                }
                if k + 1 < n, buffer[k + 1] == 0x0A { next = k + 2 }
            }
            classify(begin: lineBegin, end: k, next: next, emit)
            line += 1
            lineBegin = next
            scan = next
        }
    }

    private mutating func classify(begin: Int, end: Int, next: Int, _ emit: (Piece) -> Void) {
        var s = begin
        if bufferOffset + begin == 0, end - s >= 3, buffer[s] == 0xEF, buffer[s + 1] == 0xBB, buffer[s + 2] == 0xBF { s += 3 }
        switch marker(at: s, end: end) {
        case 0x2E:  // "..." ends the document: cut after this line
            emit(Piece(bytes: Array(buffer[pieceStart..<next]), line: pieceLine, offset: bufferOffset + pieceStart, endsBeforeMarker: false))
            pieceStart = next
            pieceLine = line + 1
            inDocument = false
        case 0x2D:  // "---" starts a document: cut before this line if the piece has one already
            if inDocument {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(begin - pieceStart + 3)
                bytes.append(contentsOf: buffer[pieceStart..<begin])
                bytes.append(contentsOf: [0x2D, 0x2D, 0x2D])
                emit(Piece(bytes: bytes, line: pieceLine, offset: bufferOffset + pieceStart, endsBeforeMarker: true))
                pieceStart = begin
                pieceLine = line
            }
            inDocument = true
        default:
            var k = s
            while k < end, buffer[k] == 0x20 || buffer[k] == 0x09 { k += 1 }
            // Blank lines, comments and directives may precede a document's `---`.
            if k < end, buffer[k] != 0x23, buffer[k] != 0x25 { inDocument = true }
        }
    }

    /// `-` or `.` when the line holds a document marker at `s`, else 0.
    private func marker(at s: Int, end: Int) -> UInt8 {
        guard end - s >= 3 else { return 0 }
        let c = buffer[s]
        guard c == 0x2D || c == 0x2E, buffer[s + 1] == c, buffer[s + 2] == c else { return 0 }
        guard s + 3 == end || buffer[s + 3] == 0x20 || buffer[s + 3] == 0x09 else { return 0 }
        return c
    }
}
