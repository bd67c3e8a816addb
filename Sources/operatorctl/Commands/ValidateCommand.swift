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
        let loaded: [SnapshotLoader.Loaded]
        do throws(LoadErrors) {
            loaded = try InputFiles.loadObjects(args, context: context, recordPositions: true)
        } catch {
            return .inputErrors(error)
        }
        let snapshot = Snapshot(loaded.map(\.object))
        var out = CommandOutput()
        var errors = 0
        var warnings = 0
        for item in loaded.sorted(by: { ($0.location.path, $0.location.position) < ($1.location.path, $1.location.position) }) {
            for p in SchemaValidation.validate(item.object, in: snapshot) {
                let pos = p.position(in: item.fieldPositions, fallback: item.location.position)
                out.error("\(item.location.path):\(pos.line):\(pos.column): \(p.severity.rawValue): \(p)")
                if p.severity == .error { errors += 1 } else { warnings += 1 }
            }
        }
        if errors > 0 || (args.has("strict") && warnings > 0) {
            out.exitCode = 1
            return out
        }
        out.stdout = "\(loaded.count) objects checked: 0 errors, \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out
    }
}
