import KubeAdapter
import ReconcileCore

/// Reads the paths a command was given into `InputSource`s: files, directories (every `*.yaml`,
/// `*.yml` and `*.json`, sorted by name; recursively with `-R`) and `-` for standard input.
enum InputFiles {
    static func paths(_ args: ParsedArguments) -> [String] { args.all("filename") + args.positionals }

    static func read(_ paths: [String], recursive: Bool, context: CommandContext) throws(LoadErrors) -> [InputSource] {
        var sources: [InputSource] = []
        var errors: [LoadError] = []
        func fail(_ path: String, _ message: String) {
            errors.append(LoadError(message, at: FileLocation(path: path, position: SourcePosition(line: 1, column: 1))))
        }
        func readFile(_ path: String) {
            guard let bytes = FileIO.read(path) else {
                fail(path, FileIO.exists(path) ? "cannot read file" : "no such file or directory")
                return
            }
            sources.append(InputSource(path: path, bytes: bytes))
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
        for path in paths {
            if path == "-" {
                sources.append(InputSource(path: "-", bytes: context.readStdin()))
                continue
            }
            if FileIO.kind(of: path) == .directory {
                readDirectory(path)
            } else {
                readFile(path)
            }
        }
        if !errors.isEmpty { throw LoadErrors(errors) }
        return sources
    }

    /// Reads and loads the objects, with the command's namespace and shuffle settings.
    static func loadObjects(_ args: ParsedArguments, context: CommandContext, fillServerMetadata: Bool = true, recordPositions: Bool = false, now: Timestamp = .simulationEpoch) throws(LoadErrors) -> [SnapshotLoader.Loaded] {
        let paths = paths(args)
        if paths.isEmpty {
            throw LoadErrors([LoadError("no input: give one or more paths (-f PATH, a directory, or - for stdin)", at: FileLocation(path: "operatorctl", position: SourcePosition(line: 1, column: 1)))])
        }
        let sources = try read(paths, recursive: args.has("recursive"), context: context)
        let loader = SnapshotLoader(defaultNamespace: args.value("namespace") ?? "default", fillServerMetadata: fillServerMetadata, creationTimestamp: now)
        var loaded = try loader.loadObjects(sources, recordPositions: recordPositions)
        if let raw = args.value("shuffle-seed"), let seed = UInt64(raw) {
            var rng = SplitMix64(seed: seed)
            loaded.shuffle(using: &rng)
        }
        return loaded
    }

    /// Reads and loads into a snapshot (recording where each object came from).
    static func loadSnapshot(_ args: ParsedArguments, context: CommandContext, now: Timestamp = .simulationEpoch) throws(LoadErrors) -> Snapshot {
        var snapshot = Snapshot()
        for item in try loadObjects(args, context: context, now: now) {
            snapshot.upsert(item.object)
            snapshot.origins[item.object.key] = item.location
        }
        return snapshot
    }
}
