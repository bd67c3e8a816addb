import KubeAdapter
import ReconcileCore

/// `operatorctl validate`: every object against the CRD schemas (types, required fields, enums,
/// defaults, patterns, CEL rules) and the operator's reference rules.
struct ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Check objects against the CRD schemas and the operator's reference rules"
    static let usageLine = "operatorctl validate [-f] PATH... [--strict]"
    static let details = """
        Prints every problem as PATH:LINE:COLUMN: error|warning: KIND/NAMESPACE/NAME: FIELD: MESSAGE
        on stderr. Errors are what the API server would reject; warnings are deprecated forms, unknown
        fields and references to objects that are not in the snapshot. Exit 1 when there is an error
        (with --strict also when there is a warning); otherwise a one-line summary on stdout.
        """
    static let options: [OptionSpec] = CommonOptions.input + [
        .flag("strict", help: "Treat warnings as errors"),
    ]

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        do throws(UsageError) {
            _ = try CommonOptions.shuffleSeed(args)
        } catch {
            return .usageError(error, usage)
        }
        // Standard input is read once, up front: the second reading below may need it again.
        var context = context
        if InputFiles.paths(args).contains("-") {
            let bytes = context.stdinDescriptor.map { FileIO.readAll($0) } ?? context.readStdin()
            guard let bytes else {
                return .inputErrors(LoadErrors([LoadError("cannot read standard input", at: FileLocation(path: "-", position: SourcePosition(line: 1, column: 1)))]))
            }
            context.readStdin = { bytes }
            context.stdinDescriptor = nil
        }
        // First reading: the snapshot, packed, as `simulate` loads it (no field positions, no
        // List as one tree), and which files hold an object with a problem.
        let snapshot: Snapshot
        do throws(LoadErrors) {
            snapshot = try InputFiles.loadSnapshot(args, context: context)
        } catch {
            return .inputErrors(error)
        }
        var pathsWithProblems: Set<String> = []
        snapshot.forEachObject { key, object in
            guard SchemaRegistry.schema(for: key.groupKind) != nil, let origin = snapshot.origin(of: key),
                  !pathsWithProblems.contains(origin.path),
                  !SchemaValidation.validate(object, in: snapshot).isEmpty else { return }
            pathsWithProblems.insert(origin.path)
        }
        // Second reading, only of those files, with field positions for the messages: each object
        // is checked as it is read and dropped. Most runs find nothing to read again.
        var found = ProblemCollector(snapshot: snapshot)
        if !pathsWithProblems.isEmpty {
            do throws(LoadErrors) {
                try InputFiles.load(args, context: context, only: pathsWithProblems.sorted(), recordPositions: true, into: &found)
            } catch {
                return .inputErrors(error)  // a file changed between the two readings
            }
        }
        var out = CommandOutput()
        var errors = 0
        var warnings = 0
        for item in found.items.sorted(by: { ($0.location.path, $0.location.position) < ($1.location.path, $1.location.position) }) {
            for (p, pos) in item.problems {
                out.error("\(item.location.path):\(pos.line):\(pos.column): \(p.severity.rawValue): \(p)")
                if p.severity == .error { errors += 1 } else { warnings += 1 }
            }
        }
        if errors > 0 || (args.has("strict") && warnings > 0) {
            out.exitCode = 1
            return out
        }
        out.stdout = "\(snapshot.count) objects checked: 0 errors, \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out
    }
}

/// Where `validate`'s second reading puts objects: each is checked against the first reading's
/// snapshot as it arrives, and only its problems, placed at their fields, are kept.
private struct ProblemCollector: LoadSink {
    struct Item {
        var location: FileLocation
        var problems: [(ValidationProblem, SourcePosition)]
    }
    let snapshot: Snapshot
    private(set) var items: [Item] = []

    init(snapshot: Snapshot) { self.snapshot = snapshot }

    mutating func add(_ item: SnapshotLoader.Loaded) {
        let problems = SchemaValidation.validate(item.object, in: snapshot)
        guard !problems.isEmpty else { return }
        items.append(Item(location: item.location, problems: problems.map {
            ($0, $0.position(in: item.fieldPositions, fallback: item.location.position))
        }))
    }

    /// The first reading found no duplicates in these same files.
    func origin(of key: ObjectKey) -> FileLocation? { nil }

    mutating func dropObjects(from path: String) {
        items.removeAll { $0.location.path == path }
    }
}
