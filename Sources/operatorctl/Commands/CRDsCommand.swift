import ReconcileCore

/// `operatorctl crds`: the CustomResourceDefinitions of the kinds this project reconciles, printed
/// from the same Swift schemas `validate` and the reconcilers use.
struct CRDsCommand: Command {
    static let name = "crds"
    static let summary = "Print the CustomResourceDefinitions (kubectl apply -f - ready)"
    static let usageLine = "operatorctl crds [-o yaml|json]"
    static let details = """
        YAML prints one document per CRD (separated by ---); JSON prints a v1 List.
        """
    static let options: [OptionSpec] = CommonOptions.output

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        let format: CommonOptions.Format
        do throws(UsageError) {
            format = try CommonOptions.format(args)
        } catch {
            return .usageError(error, usage)
        }
        let crds = CRDs.all()
        switch format {
        case .yaml: return CommandOutput(stdout: YAMLWriter.writeStream(crds))
        case .json:
            var root = OrderedMap()
            root["apiVersion"] = "v1"
            root["kind"] = "List"
            root["items"] = .array(crds)
            return CommandOutput(stdout: JSONWriter.write(.object(root)))
        }
    }
}
