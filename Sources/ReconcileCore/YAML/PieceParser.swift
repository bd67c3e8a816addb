/// Where `YAMLDocumentStream` checks and parses its pieces. The core starts no threads: `.inline`
/// parses each piece as soon as it is cut. A caller with spare cores gives a `start` that runs the
/// work elsewhere and returns a way to wait for it (operatorctl parses on another core while
/// this one cuts pieces and adds objects to the snapshot). The stream takes the results in
/// stream order, so the documents and errors are the same either way.
public struct PieceParser: Sendable {
    /// Checking and parsing a batch of pieces: pure, safe to run on any thread.
    public typealias Work = @Sendable () -> [Result]
    /// Waits for a started batch's results; called once, by the stream's thread.
    public typealias Pending = @Sendable () -> [Result]

    /// How many batches may be started and not yet taken; 0 parses each piece when it is cut.
    public let window: Int
    /// Pieces are gathered into a batch until they hold this many bytes: one hand-off per piece
    /// (~0.5 KB, a few microseconds of parsing) cost more than the other core saved.
    public let batchBytes: Int
    let start: @Sendable (@escaping Work) -> Pending

    public init(window: Int, batchBytes: Int = 1, start: @escaping @Sendable (@escaping Work) -> Pending) {
        self.window = max(0, window)
        self.batchBytes = max(1, batchBytes)
        self.start = start
    }

    /// Every piece parsed by the thread that cut it.
    public static let inline = PieceParser(window: 0) { work in
        let results = work()
        return { results }
    }

    /// What one piece gives when read on its own (see `YAMLDocumentStream.checkAndParse`).
    public struct Result: Sendable {
        struct Documents: Sendable {
            var docs: [ParsedDocument]
            /// Nodes its aliases expanded to, counted from zero.
            var aliasNodes: Int
        }
        /// The encoding check failed: nothing was parsed.
        var encodingError: SyntaxError?
        /// nil when not parsed (an encoding error, or a syntax error earlier in the stream).
        var parsed: Swift.Result<Documents, SyntaxError>?
    }
}
