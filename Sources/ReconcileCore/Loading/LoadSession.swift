/// Loads input files as their bytes arrive, one document at a time, so at most one document's
/// bytes and tree are alive beside what the caller keeps (a snapshot): the file is never held
/// whole. JSON files are one document and are still parsed whole.
///
/// The objects and the errors are the ones a whole-file load gives (the tests compare both), in
/// the same order: per file, the objects' own problems first, then the duplicates; a file with a
/// syntax error contributes that one error and nothing else (not even to duplicate detection of
/// later files). Objects reach `sink` as they are read; when `finish` throws, the caller drops
/// whatever the sink collected.
///
/// Use: `begin(path:)`, `feed` any number of chunks, `end`, for each file; then `finish`.
public struct LoadSession: Sendable {
    public let loader: SnapshotLoader
    public let recordPositions: Bool
    /// Parse YAML files whole instead of document by document (the reference the tests compare
    /// the split reading with).
    public let splitDocuments: Bool
    /// Where each object was first defined, and in which file of the session (by number).
    private var seen: [ObjectKey: (location: FileLocation, file: Int)] = [:]
    private var errors: [LoadError] = []
    private var file: FileLoad?
    private var fileCount = 0

    public typealias Sink = (SnapshotLoader.Loaded) -> Void

    public init(loader: SnapshotLoader, recordPositions: Bool = false, splitDocuments: Bool = true) {
        self.loader = loader
        self.recordPositions = recordPositions
        self.splitDocuments = splitDocuments
    }

    /// The file being read.
    private struct FileLoad: Sendable {
        enum Reading: Sendable {
            /// The format is not known yet: blank bytes seen so far (see `InputSource.format(ofContent:)`).
            case undecided([UInt8])
            /// YAML, document by document.
            case documents(YAMLDocumentStream)
            /// JSON, or YAML when not splitting: every byte, parsed at the end.
            case whole([UInt8], json: Bool)
        }
        var path: String
        var number: Int
        var reading: Reading
        var objectErrors: [LoadError] = []
        var duplicates: [LoadError] = []
        /// Whether this file added to `seen` (taken back if the file turns out not to parse).
        var added = false
    }

    public mutating func begin(path: String) {
        let reading: FileLoad.Reading
        switch InputSource.format(ofPath: path) {
        case .some(true): reading = .whole([], json: true)
        case .some(false): reading = yamlReading
        case .none: reading = .undecided([])
        }
        fileCount += 1
        file = FileLoad(path: path, number: fileCount, reading: reading)
    }

    public mutating func feed(_ chunk: ArraySlice<UInt8>, into sink: Sink) {
        guard var f = file else { return }
        file = nil  // moved out while it is changed, so its buffers are not copied
        feed(chunk, &f, sink)
        file = f
    }

    private mutating func feed(_ chunk: ArraySlice<UInt8>, _ f: inout FileLoad, _ sink: Sink) {
        switch f.reading {
        case .undecided(var blank):
            guard let json = InputSource.format(ofContent: chunk) else {
                blank += chunk
                f.reading = .undecided(blank)
                return
            }
            f.reading = json ? .whole([], json: true) : yamlReading
            if !blank.isEmpty { feed(blank[...], &f, sink) }
            feed(chunk, &f, sink)
        case .documents(var stream):
            f.reading = .undecided([])  // drop the reference so `stream` stays unique
            stream.feed(chunk) { docs, piece in add(docs, of: &f, sink) { YAMLDocumentStream.withPositions(piece) } }
            f.reading = .documents(stream)
        case .whole(var bytes, let json):
            f.reading = .undecided([])
            bytes += chunk
            f.reading = .whole(bytes, json: json)
        }
    }

    /// Ends the file: its last documents, then its errors.
    public mutating func end(into sink: Sink) {
        guard var f = file else { return }
        file = nil
        if case .undecided(let blank) = f.reading {
            // Only blank bytes: YAML with no document.
            f.reading = yamlReading
            feed(blank[...], &f, sink)
        }
        var failure: SyntaxError?
        switch f.reading {
        case .undecided:
            break
        case .documents(var stream):
            do throws(SyntaxError) {
                try stream.finish { docs, piece in add(docs, of: &f, sink) { YAMLDocumentStream.withPositions(piece) } }
            } catch {
                failure = error
            }
        case .whole(let bytes, let json):
            do throws(SyntaxError) {
                let docs = try Self.parse(bytes, json: json, recordPositions: recordPositions)
                add(docs, of: &f, sink) { try? Self.parse(bytes, json: json, recordPositions: true) }
            } catch {
                failure = error
            }
        }
        finishFile(f, failure: failure)
    }

    private var yamlReading: FileLoad.Reading {
        splitDocuments ? .documents(YAMLDocumentStream(recordPositions: recordPositions)) : .whole([], json: false)
    }

    private static func parse(_ bytes: [UInt8], json: Bool, recordPositions: Bool) throws(SyntaxError) -> [ParsedDocument] {
        json ? try JSONReader.parseStream(bytes: bytes, recordPositions: recordPositions)
            : try YAMLReader.parseStream(bytes: bytes, recordPositions: recordPositions)
    }

    private mutating func finishFile(_ f: FileLoad, failure: SyntaxError?) {
        guard let failure else {
            errors += f.objectErrors
            errors += f.duplicates
            return
        }
        if f.added { seen = seen.filter { $0.value.file != f.number } }
        errors.append(LoadError(failure.message, at: FileLocation(path: f.path, position: failure.position)))
    }

    /// Turns parsed documents into objects. When they have problems and positions were not
    /// recorded, they are parsed again with positions, so each message points at its item.
    private mutating func add(_ docs: [ParsedDocument], of f: inout FileLoad, _ sink: Sink, withPositions: () -> [ParsedDocument]?) {
        var problems: [LoadError] = []
        var items: [SnapshotLoader.Loaded] = []
        for doc in docs { items += loader.expand(doc, path: f.path, errors: &problems) }
        if !problems.isEmpty && !recordPositions, let positioned = withPositions() {
            problems = []
            items = []
            for doc in positioned { items += loader.expand(doc, path: f.path, errors: &problems) }
        }
        f.objectErrors += problems
        for item in items {
            let key = item.object.key
            if let first = seen[key] {
                f.duplicates.append(LoadError("duplicate object \(key) (first defined at \(first.location))", at: item.location))
                continue
            }
            seen[key] = (item.location, f.number)
            f.added = true
            sink(item)
        }
    }

    /// Every problem of every file, if there was any.
    public func finish() throws(LoadErrors) {
        if !errors.isEmpty { throw LoadErrors(errors) }
    }
}
