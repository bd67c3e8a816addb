import ReconcileCore

/// `operatorctl converge`: runs the controllers against the in-memory API server until a round
/// writes nothing, and prints the resulting cluster as a List.
struct ConvergeCommand: Command {
    static let name = "converge"
    static let summary = "Run the controllers to a fixed point and print the resulting cluster as a List"
    static let usageLine = "operatorctl converge [-f] PATH... [--assume-ready] [--max-rounds N] [--explain] [-o yaml|json]"
    static let details = """
        Loads the snapshot into an in-memory API server (uids, resourceVersions, generations, the
        status subresource, server-side apply, finalizers, garbage collection) and reconciles in
        rounds on a simulated clock: every write enqueues what the watch mapping says, requeues
        advance the clock. Stops when a round writes nothing. --assume-ready plays the cluster's
        other actors (Deployment/StatefulSet controllers and kubelet, Services, the ToolHive proxy
        runner, the vMCP runtime), so workloads become ready. An oscillation, or no fixed point
        within --max-rounds, is an error naming the objects and fields still changing.
        --explain prints every write with its round, writer and reasons on stderr.
        """
    static let options: [OptionSpec] = CommonOptions.input + CommonOptions.output + [
        .flag("assume-ready", help: "Play kubelet, the workload and Service controllers, the proxy runner and the vMCP runtime"),
        .value("max-rounds", name: "N", help: "Give up after N rounds (default 100)"),
        .flag("explain", help: "Print every write, with its reasons, on stderr"),
    ] + CommonOptions.operatorSettings

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        var maxRounds = 100
        if let raw = args.value("max-rounds") {
            guard let n = Int(raw), n > 0 else {
                return .usageError(UsageError(message: "--max-rounds: expected a positive whole number, got \"\(raw)\""), usage)
            }
            maxRounds = n
        }
        let (format, env, snapshot): (CommonOptions.Format, OperatorEnvironment, Snapshot)
        switch PreparedRun.prepare(args, context: context, usage: usage) {
        case .failed(let out): return out
        case .ready(let f, let e, let s): (format, env, snapshot) = (f, e, s)
        }
        let explain = args.has("explain")
        let converger = Converger(env: env, options: .init(assumeReady: args.has("assume-ready"), maxRounds: maxRounds, recordTrace: explain))
        do throws(ConvergeError) {
            let result = try converger.converge(ClusterModel(snapshot: snapshot, now: env.now))
            // The converged cluster is ~20 times the input: stream it rather than build one string.
            var out = CommandOutput()
            out.streamed = StreamedDocument.list(result.model.snapshot, format: format)
            if explain {
                for entry in result.trace { out.error(entry.text) }
                out.error("converged after \(ConvergeError.rounds(result.rounds)) at \(result.model.now.rfc3339)")
            }
            for failure in result.failures { out.error("operatorctl: warning: write refused: \(failure)") }
            return out
        } catch {
            return failure(error, origins: snapshot.origins)
        }
    }

    /// One `PATH:LINE:COLUMN: error: ...` line per object still changing, pointing at the object
    /// in the input, or at the input object that owns it.
    static func failure(_ error: ConvergeError, origins: [ObjectKey: FileLocation]) -> CommandOutput {
        var out = CommandOutput(exitCode: 1)
        let headline: String
        switch error {
        case .oscillation(let rounds, _): headline = "converge found an oscillation after \(ConvergeError.rounds(rounds))"
        case .noFixedPoint(let rounds, _): headline = "converge did not reach a fixed point in \(ConvergeError.rounds(rounds))"
        }
        if error.objects.isEmpty { out.error("operatorctl: error: \(headline)") }
        for churn in error.objects {
            let location = origins[churn.key] ?? churn.owner.flatMap { origins[$0] }
            let prefix = location.map { "\($0)" } ?? "operatorctl"
            out.error("\(prefix): error: \(headline): \(churn)")
        }
        return out
    }
}
