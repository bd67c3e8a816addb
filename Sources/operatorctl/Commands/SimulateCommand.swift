import ReconcileCore

/// `operatorctl simulate`: one reconcile pass of every controller over every primary → a Plan.
struct SimulateCommand: Command {
    static let name = "simulate"
    static let summary = "Print the Plan one reconcile pass of every controller would carry out"
    static let usageLine = "operatorctl simulate [-f] PATH... [-o yaml|json] [--explain] [--changed KIND/NAMESPACE/NAME]"
    static let details = """
        Reads the snapshot (files, directories, - for stdin) and reconciles every primary object
        once. Actions are in the order the operator would carry them out; a primary already in step
        with the cluster has an empty action list. --explain adds each action's reasons.
        --changed prints which primaries a change to that object would enqueue instead.
        """
    static let options: [OptionSpec] = CommonOptions.input + CommonOptions.output + [
        .flag("explain", help: "Add the reasons behind every action"),
        .value("changed", name: "KIND/NS/NAME", help: "Print the primaries a change to this object enqueues (watch simulation)"),
    ] + CommonOptions.operatorSettings

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        let (format, env, snapshot): (CommonOptions.Format, OperatorEnvironment, Snapshot)
        switch PreparedRun.prepare(args, context: context, usage: usage) {
        case .failed(let out): return out
        case .ready(let f, let e, let s): (format, env, snapshot) = (f, e, s)
        }
        if let changed = args.value("changed") {
            return watchSimulation(changed, snapshot: snapshot, env: env, format: format)
        }
        let jobs = Simulator.jobs(snapshot, env: env)
        let explain = args.has("explain")
        var out = CommandOutput()
        out.streamed = StreamedDocument.output(format: format, header: Plan.header, listKey: Plan.listKey, count: jobs.count) { i in
            jobs[i].run(snapshot, env: env).value(explain: explain)
        }
        return out
    }

    /// `--changed KIND/NAMESPACE/NAME` (or `KIND/NAME` in the default namespace).
    static func watchSimulation(_ spec: String, snapshot: Snapshot, env: OperatorEnvironment, format: CommonOptions.Format) -> CommandOutput {
        do throws(WatchSimulationError) {
            let (changed, requests) = try WatchSimulation.requests(forChanged: spec, in: snapshot, controllers: .all, env: env)
            return CommandOutput(stdout: CommonOptions.render(WatchSimulation.document(changed: changed, requests: requests, snapshot: snapshot), format))
        } catch {
            if case .badTarget = error { return .usageError(UsageError(message: error.description), usage) }
            var out = CommandOutput(exitCode: 1)
            out.error("operatorctl: error: \(error)")
            return out
        }
    }
}
