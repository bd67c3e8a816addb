import ReconcileCore

/// `operatorctl sandbox`: a Kubernetes API server on 127.0.0.1 serving an in-memory store, for
/// kubectl and for `operatorctl run` to talk to without a cluster.
public final class SandboxServer: Sendable {
    public let store: any SandboxStore
    private let server: HTTPServer
    private let stopping = Flag()
    /// The world-rules loop of `--assume-ready` (nil without it).
    public let worldRules: SandboxWorldRules?

    /// - Parameters:
    ///   - port: the loopback port (0 picks a free one; read `port` after `start()`).
    ///   - objects: the initial objects (a loaded snapshot), kept with their status.
    ///   - assumeReady: play the cluster's other actors (`worldRules`) in a background loop from
    ///     `start()` to `stop()`, writing through the store: workloads get ready Pods, Services
    ///     addresses, the proxy runner its StatefulSet, the vMCP runtime its status.
    ///   - worldRules, environment: the rules `assumeReady` runs and what they read.
    ///   - configure: adjusts the API layer (watch limits, fault injection) before serving.
    public init(port: UInt16, objects: [KubeObject] = [], assumeReady: Bool = false,
                worldRules: [any WorldRule] = WorldRules.standard, environment: OperatorEnvironment = OperatorEnvironment(),
                configure: (inout SandboxAPI) -> Void = { _ in }) {
        let store = InMemoryStore()
        store.seed([KubeObject(apiVersion: "v1", kind: "Namespace", namespace: "", name: "default"),
                    KubeObject(apiVersion: "v1", kind: "Namespace", namespace: "", name: "kube-system")] + objects)
        self.store = store
        self.worldRules = assumeReady ? SandboxWorldRules(store: store, rules: worldRules, environment: environment) : nil
        var api = SandboxAPI(store: store)
        let flag = stopping
        api.isStopping = { flag.isSet }
        configure(&api)
        let handler = api
        server = HTTPServer(port: port) { handler.handle($0) }
    }

    public convenience init(port: UInt16, snapshot: Snapshot, configure: (inout SandboxAPI) -> Void = { _ in }) {
        self.init(port: port, objects: snapshot.allObjects, configure: configure)
    }

    public func start() throws(HTTPServerError) {
        try server.start()
        worldRules?.start()
    }
    public var port: UInt16 { server.port }
    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        stopping.set()
        worldRules?.stop()
        server.stop()
    }
}
