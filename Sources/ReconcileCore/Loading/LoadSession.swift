/// Loads input files as their bytes arrive, one document at a time, so at most one document's
/// bytes and tree are alive beside what the caller keeps (a snapshot): the file is never held
/// whole. JSON files are one document and are still parsed whole.
///
/// The objects and the errors are the ones a whole-file load gives (the tests compare both), in
/// the same order: per file, the objects' own problems first, then the duplicates; a file with a
/// syntax error contributes that one error and nothing else (not even to duplicate detection of
/// later files). Objects reach the sink as they are read; when `finish` throws, the caller drops
/// whatever the sink collected.
///
/// Use: `begin(path:)`, `feed` any number of chunks, `end`, for each file; then `finish`.
///
/// Duplicates are found by asking the sink where a key was loaded from: a `Snapshot` knows that
/// already (its `origins`), so loading into one keeps no second map of every key.
public struct LoadSession: Sendable {
    public let loader: SnapshotLoader
    public let recordPositions: Bool
    /// Split input as it is read: YAML files document by document, and a List's items taken out
    /// of its tree one by one (`ListItemDetacher`). False parses each file whole into trees, the
    /// reference the tests compare the split reading with.
    public let splitDocuments: Bool
    /// Where YAML pieces are parsed (`PieceParser`): the results, and so the objects and errors,
    /// are the same wherever.
    public let pieceParser: PieceParser
    private var errors: [LoadError] = []
    private var file: FileLoad?

    public init(loader: SnapshotLoader, recordPositions: Bool = false, splitDocuments: Bool = true, pieceParser: PieceParser = .inline) {
        self.loader = loader
        self.recordPositions = recordPositions
        self.splitDocuments = splitDocuments
        self.pieceParser = pieceParser
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
        var reading: Reading
        var objectErrors: [LoadError] = []
        var duplicates: [LoadError] = []
        /// Whether this file gave the sink objects (taken back if the file turns out not to parse).
        var added = false
    }

    public mutating func begin(path: String) {
        let reading: FileLoad.Reading
        switch InputSource.format(ofPath: path) {
        case .some(true): reading = .whole([], json: true)
        case .some(false): reading = yamlReading
        case .none: reading = .undecided([])
        }
        file = FileLoad(path: path, reading: reading)
    }

    public mutating func feed<Sink: LoadSink>(_ chunk: ArraySlice<UInt8>, into sink: inout Sink) {
        guard var f = file else { return }
        file = nil  // moved out while it is changed, so its buffers are not copied
        feed(chunk, &f, &sink)
        file = f
    }

    private mutating func feed<Sink: LoadSink>(_ chunk: ArraySlice<UInt8>, _ f: inout FileLoad, _ sink: inout Sink) {
        switch f.reading {
        case .undecided(var blank):
            guard let json = InputSource.format(ofContent: chunk) else {
                blank += chunk
                f.reading = .undecided(blank)
                return
            }
            f.reading = json ? .whole([], json: true) : yamlReading
            if !blank.isEmpty { feed(blank[...], &f, &sink) }
            feed(chunk, &f, &sink)
        case .documents(var stream):
            f.reading = .undecided([])  // drop the reference so `stream` stays unique
            stream.feed(chunk) { docs, piece in add(&docs, of: &f, &sink) { YAMLDocumentStream.withPositions(piece) } }
            f.reading = .documents(stream)
        case .whole(var bytes, let json):
            f.reading = .undecided([])
            bytes += chunk
            f.reading = .whole(bytes, json: json)
        }
    }

    /// Ends the file: its last documents, then its errors.
    public mutating func end<Sink: LoadSink>(into sink: inout Sink) {
        guard var f = file else { return }
        file = nil
        if case .undecided(let blank) = f.reading {
            // Only blank bytes: YAML with no document.
            f.reading = yamlReading
            feed(blank[...], &f, &sink)
        }
        var failure: SyntaxError?
        switch f.reading {
        case .undecided:
            break
        case .documents(var stream):
            do throws(SyntaxError) {
                try stream.finish { docs, piece in add(&docs, of: &f, &sink) { YAMLDocumentStream.withPositions(piece) } }
            } catch {
                failure = error
            }
        case .whole(let bytes, let json):
            do throws(SyntaxError) {
                var docs = try Self.parse(bytes, json: json, recordPositions: recordPositions, detacher: detacher)
                add(&docs, of: &f, &sink) { try? Self.parse(bytes, json: json, recordPositions: true, detacher: .off) }
            } catch {
                failure = error
            }
        }
        finishFile(f, failure: failure, &sink)
    }

    private var yamlReading: FileLoad.Reading {
        splitDocuments ? .documents(YAMLDocumentStream(recordPositions: recordPositions, detacher: detacher, parser: pieceParser)) : .whole([], json: false)
    }

    /// Notes where each List item starts, and takes the items out of the tree while the List is
    /// parsed unless positions are recorded (they are the document's, and `validate` reads them
    /// per item) or nothing is split.
    private var detacher: ListItemDetacher {
        ListItemDetacher(takesItems: splitDocuments && !recordPositions)
    }

    private static func parse(_ bytes: [UInt8], json: Bool, recordPositions: Bool, detacher: ListItemDetacher) throws(SyntaxError) -> [ParsedDocument] {
        json ? try JSONReader.parseStream(bytes: bytes, recordPositions: recordPositions, detacher: detacher)
            : try YAMLReader.parseStream(bytes: bytes, recordPositions: recordPositions, detacher: detacher)
    }

    private mutating func finishFile<Sink: LoadSink>(_ f: FileLoad, failure: SyntaxError?, _ sink: inout Sink) {
        guard let failure else {
            errors += f.objectErrors
            errors += f.duplicates
            return
        }
        if f.added { sink.dropObjects(from: f.path) }
        errors.append(LoadError(failure.message, at: FileLocation(path: f.path, position: failure.position)))
    }

    /// Turns parsed documents into objects, handing each to the sink as it is made (a List's
    /// items one at a time). When they have problems and positions were not recorded, they are
    /// parsed again with positions first, so each message points at its item.
    private mutating func add<Sink: LoadSink>(_ docs: inout [ParsedDocument], of f: inout FileLoad, _ sink: inout Sink, withPositions: () -> [ParsedDocument]?) {
        if !recordPositions, docs.contains(where: loader.hasProblems), let positioned = withPositions() {
            docs = positioned
        }
        var problems: [LoadError] = []
        for i in docs.indices {
            loader.expand(&docs[i], path: f.path, errors: &problems) { item in
                let key = item.object.key
                if let first = sink.origin(of: key) {
                    f.duplicates.append(LoadError("duplicate object \(key) (first defined at \(first))", at: item.location))
                    return
                }
                f.added = true
                sink.add(item)
            }
        }
        f.objectErrors += problems
    }

    /// Every problem of every file, if there was any.
    public func finish() throws(LoadErrors) {
        if !errors.isEmpty { throw LoadErrors(errors) }
    }
}

/// Where a `LoadSession` puts objects: it keeps them and says where each key was loaded from.
public protocol LoadSink {
    /// Where the object with this key was loaded from, nil when none was.
    func origin(of key: ObjectKey) -> FileLocation?
    mutating func add(_ item: SnapshotLoader.Loaded)
    /// Forgets the objects loaded from `path`: the file turned out not to parse, so (as in a
    /// whole-file load) it defines nothing. Reading a path twice reads the same content, so the
    /// path names that one file.
    mutating func dropObjects(from path: String)
}

extension Snapshot: LoadSink {
    public mutating func add(_ item: SnapshotLoader.Loaded) { SnapshotLoader.insert(item, into: &self) }
    public mutating func dropObjects(from path: String) {
        for (key, origin) in origins where origin.path == path { remove(key) }
    }
}

/// The loaded objects in input order, for commands that need every one as read (`convert`,
/// `validate`, `--shuffle-seed`).
public struct LoadedObjects: LoadSink, Sendable {
    public private(set) var items: [SnapshotLoader.Loaded] = []
    private var origins: [ObjectKey: FileLocation] = [:]
    public init() {}
    public func origin(of key: ObjectKey) -> FileLocation? { origins[key] }
    public mutating func add(_ item: SnapshotLoader.Loaded) {
        origins[item.object.key] = item.location
        items.append(item)
    }
    public mutating func dropObjects(from path: String) {
        origins = origins.filter { $0.value.path != path }
        items.removeAll { $0.location.path == path }
    }
}
