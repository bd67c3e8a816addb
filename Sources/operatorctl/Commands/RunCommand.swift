import KubeAdapter
import ReconcileCore

/// `operatorctl run`: the live controller manager against a real API server.
struct RunCommand: Command {
    static let name = "run"
    static let summary = "Run the controllers live against a Kubernetes API server"
    static let usageLine = "operatorctl run [--kubeconfig PATH] [--context NAME] [--namespace NS]... [flags]"
    static let details = """
        Connects with --kubeconfig, $KUBECONFIG, the in-cluster service account or ~/.kube/config
        (in that order), watches the kinds the controllers read and applies their plans with
        server-side apply. Stops cleanly on SIGTERM/SIGINT. Operator settings come from the
        environment variables the real operator reads (TOOLHIVE_RUNNER_IMAGE, WATCH_NAMESPACE, ...).
        """
    static let options: [OptionSpec] = [
        .value("kubeconfig", name: "PATH", help: "Kubeconfig file"),
        .value("context", name: "NAME", help: "Kubeconfig context (default: current-context)"),
        .value("namespace", short: "n", name: "NS", repeatable: true, help: "Watch only this namespace; repeatable (default: WATCH_NAMESPACE, else all)"),
        .value("workers", name: "N", help: "Concurrent reconciles (default 1)"),
        .value("health-probe-bind-address", name: "ADDR", help: "Serve /healthz, /readyz, /metrics here (default 127.0.0.1:8081; \"0\" disables)"),
        .flag("leader-elect", help: "Use a coordination.k8s.io Lease so only one replica acts"),
        .value("leader-election-namespace", name: "NS", help: "Namespace of the Lease"),
        .value("log-format", name: "FORMAT", help: "text or json (default text)"),
    ]

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        var options = ManagerOptions()
        options.kubeconfigPath = args.value("kubeconfig")
        options.context = args.value("context")
        options.namespaces = args.all("namespace")
        options.environment = context.environment
        options.leaderElection = args.has("leader-elect")
        options.leaseNamespace = args.value("leader-election-namespace")
        if let raw = args.value("workers") {
            guard let n = Int(raw), n >= 1, n <= 64 else {
                return .usageError(UsageError(message: "--workers: expected a number from 1 to 64, got \"\(raw)\""), usage)
            }
            options.workers = n
        }
        if let addr = args.value("health-probe-bind-address") { options.probeAddress = addr == "0" ? nil : addr }
        if let raw = args.value("log-format") {
            guard let f = Logger.Format(rawValue: raw) else {
                return .usageError(UsageError(message: "--log-format: use text or json, not \"\(raw)\""), usage)
            }
            options.logFormat = f
        }
        let finalOptions = options
        let failure: String? = runBlocking {
            do throws(ManagerError) {
                try await runManager(options: finalOptions)
                return nil
            } catch {
                return error.description
            }
        } ?? "manager stopped unexpectedly"
        if let failure {
            var out = CommandOutput(exitCode: 1)
            out.error(failure.contains(": error: ") ? failure : "operatorctl run: error: \(failure)")
            return out
        }
        return CommandOutput()
    }
}
