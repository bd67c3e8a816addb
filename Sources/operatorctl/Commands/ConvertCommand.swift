import ReconcileCore

/// `operatorctl convert`: reads a snapshot and prints it back as one normalised List (no reconcile).
struct ConvertCommand: Command {
    static let name = "convert"
    static let summary = "Print a snapshot back as one normalised List (YAML or JSON)"
    static let usageLine = "operatorctl convert [-f] PATH... [-o yaml|json]"
    static let details = """
        Flattens every document and List into one List sorted by apiVersion, kind, namespace and
        name. Objects without a namespace get --namespace (default "default"); nothing else is added.
        """
    static let options: [OptionSpec] = CommonOptions.input + CommonOptions.output

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        let format: CommonOptions.Format
        do throws(UsageError) {
            format = try CommonOptions.format(args)
            _ = try CommonOptions.shuffleSeed(args)
        } catch {
            return .usageError(error, usage)
        }
        do throws(LoadErrors) {
            let snapshot = try InputFiles.loadSnapshot(args, context: context, fillServerMetadata: false)
            var out = CommandOutput()
            out.streamed = StreamedDocument.list(snapshot, format: format)
            return out
        } catch {
            return .inputErrors(error)
        }
    }
}
