import KubeAdapter
import ReconcileCore

/// Reads the paths a command was given: files, directories (every `*.yaml`, `*.yml` and `*.json`,
/// sorted by name; recursively with `-R`) and `-` for standard input. Each file is read in blocks
/// and loaded document by document as the blocks arrive (`LoadSession`), so neither a whole file
/// nor all of its trees are held at once.
enum InputFiles {
    static func paths(_ args: ParsedArguments) -> [String] { args.all("filename") + args.positionals }

    /// Loads every object of the inputs into `sink`, in input order. Read errors (a missing file,
    /// an unreadable directory) are reported alone, as nothing can be trusted without all inputs;
    /// otherwise every input problem is reported together.
    /// only: read these paths instead of the arguments' (files a first reading found, for a
    /// second one).
    static func load<Sink: LoadSink>(_ args: ParsedArguments, context: CommandContext, only: [String]? = nil, fillServerMetadata: Bool = true, recordPositions: Bool = false, now: Timestamp = .simulationEpoch, into sink: inout Sink) throws(LoadErrors) {
        let paths = only ?? paths(args)
        if paths.isEmpty {
            throw LoadErrors([LoadError("no input: give one or more paths (-f PATH, a directory, or - for stdin)", at: FileLocation(path: "operatorctl", position: SourcePosition(line: 1, column: 1)))])
        }
        let loader = SnapshotLoader(defaultNamespace: args.value("namespace") ?? "default", fillServerMetadata: fillServerMetadata, creationTimestamp: now)
        var session = LoadSession(loader: loader, recordPositions: recordPositions, pieceParser: BackgroundPieceParser.make())
        var readErrors: [LoadError] = []
        func fail(_ path: String, _ message: String) {
            readErrors.append(LoadError(message, at: FileLocation(path: path, position: SourcePosition(line: 1, column: 1))))
        }
        func readFile(_ path: String) {
            session.begin(path: path)
            if !FileIO.readBlocks(path, { session.feed($0, into: &sink) }) {
                fail(path, FileIO.exists(path) ? "cannot read file" : "no such file or directory")
            }
            session.end(into: &sink)
        }
        func readDirectory(_ dir: String) {
            guard let names = FileIO.directoryEntries(dir) else {
                fail(dir, "cannot read directory")
                return
            }
            for name in names.sorted() {
                let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                guard let kind = FileIO.kind(of: full) else { continue }
                if kind == .directory {
                    if recursive { readDirectory(full) }
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") {
                    readFile(full)
                }
            }
        }
        let recursive = args.has("recursive")
        for path in paths {
            if path == "-" {
                session.begin(path: "-")
                if let fd = context.stdinDescriptor {
                    if !FileIO.readBlocks(fd, { session.feed($0, into: &sink) }) { fail("-", "cannot read standard input") }
                } else {
                    session.feed(context.readStdin()[...], into: &sink)
                }
                session.end(into: &sink)
                continue
            }
            if FileIO.kind(of: path) == .directory {
                readDirectory(path)
            } else {
                readFile(path)
            }
        }
        if !readErrors.isEmpty { throw LoadErrors(readErrors) }
        try session.finish()
    }

    /// Reads and loads the objects, with the command's namespace and shuffle settings.
    static func loadObjects(_ args: ParsedArguments, context: CommandContext, fillServerMetadata: Bool = true, recordPositions: Bool = false, now: Timestamp = .simulationEpoch) throws(LoadErrors) -> [SnapshotLoader.Loaded] {
        var objects = LoadedObjects()
        try load(args, context: context, fillServerMetadata: fillServerMetadata, recordPositions: recordPositions, now: now, into: &objects)
        var loaded = objects.items
        if let raw = args.value("shuffle-seed"), let seed = UInt64(raw) {
            var rng = SplitMix64(seed: seed)
            loaded.shuffle(using: &rng)
        }
        return loaded
    }

    /// Reads and loads into a snapshot (recording where each object came from). Each object goes
    /// into the snapshot, packed, as soon as it is read, so its parsed tree dies right after.
    static func loadSnapshot(_ args: ParsedArguments, context: CommandContext, fillServerMetadata: Bool = true, now: Timestamp = .simulationEpoch) throws(LoadErrors) -> Snapshot {
        var snapshot = Snapshot()
        if args.value("shuffle-seed") != nil {
            // The determinism check permutes the whole input order, so it needs every object first.
            for item in try loadObjects(args, context: context, fillServerMetadata: fillServerMetadata, now: now) { SnapshotLoader.insert(item, into: &snapshot) }
            return snapshot
        }
        try load(args, context: context, fillServerMetadata: fillServerMetadata, now: now, into: &snapshot)
        return snapshot
    }
}
