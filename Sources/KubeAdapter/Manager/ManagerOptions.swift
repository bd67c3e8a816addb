import ReconcileCore

/// Settings of `operatorctl run`, with controller-runtime's defaults.
public struct ManagerOptions: Sendable {
    /// `--kubeconfig`; else `KUBECONFIG`, in-cluster, `~/.kube/config`.
    public var kubeconfigPath: String?
    /// `--context`
    public var context: String?
    /// A resolved connection, bypassing kubeconfig lookup (tests, the sandbox).
    public var connection: ClusterConnection?
    /// `--namespace` (repeatable) or `WATCH_NAMESPACE`; empty: every namespace.
    public var namespaces: [String] = []
    /// `--workers N`: concurrent reconciles (different keys only).
    public var workers = 1
    /// `--health-probe-bind-address`: serves /healthz, /readyz and /metrics; nil: none.
    public var probeAddress: String? = "127.0.0.1:8081"
    /// `--leader-elect`
    public var leaderElection = false
    public var leaseName = "toolhive-operator-leader-election"
    /// Defaults to `POD_NAMESPACE`, the service account's namespace, the context's, then `default`.
    public var leaseNamespace: String?
    /// Defaults to `POD_NAME` (or the host name) plus a random suffix.
    public var identity: String?
    /// `--log-format text|json`
    public var logFormat: Logger.Format = .text
    /// The process environment (operator settings such as images and `WATCH_NAMESPACE`).
    public var environment: [String: String] = ProcessEnvironment.variables
    public var controllers: ControllerSet = .all
    /// Stop on SIGTERM/SIGINT (the CLI wants this; tests stop the manager themselves).
    public var handleSignals = true

    public init() {}

    /// The namespaces to watch: `--namespace` wins over `WATCH_NAMESPACE`.
    public var watchNamespaces: [String] {
        namespaces.isEmpty ? OperatorEnvironment.commaList(environment["WATCH_NAMESPACE"] ?? "") : namespaces
    }
}

public struct ManagerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
