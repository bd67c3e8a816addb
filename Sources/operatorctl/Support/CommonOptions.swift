import ReconcileCore

/// Flags shared by the commands that read snapshots and run reconcilers.
enum CommonOptions {
    static let input: [OptionSpec] = [
        .value("filename", short: "f", name: "PATH", repeatable: true, help: "File, directory or - (stdin) to read; repeatable. Plain arguments work too"),
        .flag("recursive", short: "R", help: "Read directories recursively"),
        .value("namespace", short: "n", name: "NS", help: "Namespace for objects that set none (default \"default\")"),
        .value("shuffle-seed", name: "N", help: "Permute the input order with this seed (a determinism check: output must not change)"),
    ]
    static let output: [OptionSpec] = [
        .value("output", short: "o", name: "FORMAT", help: "Output format: yaml or json (default yaml)"),
    ]
    /// The operator settings, as flags overriding the environment variables the operator reads.
    static let operatorSettings: [OptionSpec] = [
        .value("now", name: "RFC3339", help: "The simulated clock's start (default 2026-01-01T00:00:00Z)"),
        .value("runner-image", name: "IMAGE", help: "Proxy runner image (env TOOLHIVE_RUNNER_IMAGE)"),
        .value("vmcp-image", name: "IMAGE", help: "vMCP image (env VMCP_IMAGE)"),
        .value("registry-api-image", name: "IMAGE", help: "Registry API image (env TOOLHIVE_REGISTRY_API_IMAGE)"),
        .value("default-image-pull-secrets", name: "LIST", help: "Comma list (env TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS)"),
        .value("watch-namespace", name: "LIST", help: "Comma list of watched namespaces (env WATCH_NAMESPACE; empty: all)"),
        .value("platform", name: "NAME", help: "kubernetes or openshift (env TOOLHIVE_PLATFORM)"),
        .value("random-seed", name: "TEXT", help: "Seed for generated secrets (default fixed, so output is reproducible)"),
    ]

    enum Format: String { case yaml, json }

    static func format(_ args: ParsedArguments) throws(UsageError) -> Format {
        let raw = args.value("output") ?? "yaml"
        guard let f = Format(rawValue: raw) else { throw UsageError(message: "unknown output format \"\(raw)\": use yaml or json") }
        return f
    }

    static func render(_ value: Value, _ format: Format) -> String {
        switch format {
        case .yaml: return YAMLWriter.write(value)
        case .json: return JSONWriter.write(value)
        }
    }

    static func environment(_ args: ParsedArguments, context: CommandContext) throws(UsageError) -> OperatorEnvironment {
        var now = Timestamp.simulationEpoch
        if let raw = args.value("now") {
            guard let t = Timestamp(rfc3339: raw) else { throw UsageError(message: "--now: not an RFC 3339 time: \"\(raw)\"") }
            now = t
        }
        var vars = context.environment
        let mapping = [
            "runner-image": "TOOLHIVE_RUNNER_IMAGE", "vmcp-image": "VMCP_IMAGE", "registry-api-image": "TOOLHIVE_REGISTRY_API_IMAGE",
            "default-image-pull-secrets": "TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS", "watch-namespace": "WATCH_NAMESPACE", "platform": "TOOLHIVE_PLATFORM",
        ]
        for (flag, variable) in mapping {
            if let v = args.value(flag) { vars[variable] = v }
        }
        if let p = args.value("platform"), OperatorEnvironment.Platform(rawValue: p.lowercased()) == nil {
            throw UsageError(message: "--platform: use kubernetes or openshift, not \"\(p)\"")
        }
        var env = OperatorEnvironment(variables: vars, now: now)
        if let seed = args.value("random-seed") { env.randomSeed = seed }
        return env
    }

    static func shuffleSeed(_ args: ParsedArguments) throws(UsageError) -> UInt64? {
        guard let raw = args.value("shuffle-seed") else { return nil }
        guard let n = UInt64(raw) else { throw UsageError(message: "--shuffle-seed: expected a whole number, got \"\(raw)\"") }
        return n
    }
}

extension CommandOutput {
    /// A usage error inside a command: message plus the command's usage, exit 2.
    static func usageError(_ error: UsageError, _ usage: String) -> CommandOutput {
        CommandOutput(exitCode: 2, stderr: "error: \(error.message)\n\n\(usage)")
    }
    /// Input problems: one `PATH:LINE:COLUMN: error: ...` line each, exit 1, nothing on stdout.
    static func inputErrors(_ errors: LoadErrors) -> CommandOutput {
        CommandOutput(exitCode: 1, stderr: errors.errors.map { $0.description + "\n" }.joined())
    }
}

/// What every reconciling command starts from, or the output that ends it early.
enum PreparedRun {
    case ready(CommonOptions.Format, OperatorEnvironment, Snapshot)
    case failed(CommandOutput)

    /// Checks the common flags (usage errors, exit 2), then loads the snapshot (input errors, exit 1).
    static func prepare(_ args: ParsedArguments, context: CommandContext, usage: String) -> PreparedRun {
        let format: CommonOptions.Format
        let env: OperatorEnvironment
        do throws(UsageError) {
            format = try CommonOptions.format(args)
            env = try CommonOptions.environment(args, context: context)
            _ = try CommonOptions.shuffleSeed(args)
        } catch {
            return .failed(.usageError(error, usage))
        }
        do throws(LoadErrors) {
            return .ready(format, env, try InputFiles.loadSnapshot(args, context: context, now: env.now))
        } catch {
            return .failed(.inputErrors(error))
        }
    }
}
