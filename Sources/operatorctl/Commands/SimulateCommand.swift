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
        let format: CommonOptions.Format
        let env: OperatorEnvironment
        do throws(UsageError) {
            format = try CommonOptions.format(args)
            env = try CommonOptions.environment(args, context: context)
            _ = try CommonOptions.shuffleSeed(args)
        } catch {
            return .usageError(error, usage)
        }
        let snapshot: Snapshot
        do throws(LoadErrors) {
            snapshot = try InputFiles.loadSnapshot(args, context: context, now: env.now)
        } catch {
            return .inputErrors(error)
        }
        if let changed = args.value("changed") {
            return watchSimulation(changed, snapshot: snapshot, env: env, format: format)
        }
        let plan = Simulator.simulate(snapshot, env: env)
        return CommandOutput(stdout: CommonOptions.render(plan.value(explain: args.has("explain")), format))
    }

    /// `--changed KIND/NAMESPACE/NAME` (or `KIND/NAME` in the default namespace).
    static func watchSimulation(_ spec: String, snapshot: Snapshot, env: OperatorEnvironment, format: CommonOptions.Format) -> CommandOutput {
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else {
            return .usageError(UsageError(message: "--changed: expected KIND/NAMESPACE/NAME, got \"\(spec)\""), usage)
        }
        let kind = parts[0].lowercased()
        let namespace = parts.count == 3 ? parts[1] : "default"
        let name = parts[parts.count - 1]
        let match = snapshot.objects.values.first {
            $0.kind.lowercased() == kind && $0.namespace == namespace && $0.name == name
        } ?? snapshot.objects.values.first { $0.kind.lowercased() == kind && $0.namespace.isEmpty && $0.name == name }
        guard let object = match else {
            var out = CommandOutput(exitCode: 1)
            out.error("operatorctl: error: --changed \(spec): no such object in the snapshot")
            return out
        }
        let requests = WatchMapping.requests(changed: object, previous: nil, snapshot: snapshot, controllers: .all, env: env)
        var root = OrderedMap()
        root["apiVersion"] = .string(Plan.apiVersion)
        root["kind"] = "EnqueuedRequests"
        root["changed"] = object.reference.value
        root["requests"] = .array(requests.map { r in
            let ref = snapshot.get(r.key)?.reference
                ?? ObjectReference(apiVersion: Kinds.preferredAPIVersion(r.key.groupKind), kind: r.key.kind, namespace: r.key.namespace, name: r.key.name)
            return ["controller": .string(r.controller), "object": ref.value]
        })
        return CommandOutput(stdout: CommonOptions.render(.object(root), format))
    }
}
