import ReconcileCore

/// The live loop: watch → cache → `WatchMapping.requests` → queue → reconciler → plan applier.
///
/// The actor owns the cache, so every reconcile reads one consistent snapshot; reconciles of
/// different keys overlap only while their writes are in flight (`--workers`).
public actor ControllerManager: WatchSink {
    public let client: APIClient
    public let controllers: ControllerSet
    public let queue: WorkQueue
    public let metrics: Metrics
    private let applier: PlanApplier
    private let logger: Logger
    private let baseEnvironment: [String: String]
    private let watchNamespaces: [String]
    private var cache = ObjectCache()
    private var expectedInformers: Set<String> = []
    private var syncedInformers: Set<String> = []
    private var tasks: [Task<Void, Never>] = []
    private var workers: [Task<Void, Never>] = []
    /// Writes sent (for "an idle cluster sends no writes" checks).
    public private(set) var writes = 0

    public init(client: APIClient, controllers: ControllerSet, environment: [String: String], namespaces: [String],
                logger: Logger, identity: String, metrics: Metrics = Metrics()) {
        self.client = client
        self.controllers = controllers
        self.metrics = metrics
        self.queue = WorkQueue(metrics: metrics)
        self.applier = PlanApplier(client: client, instance: identity)
        self.logger = logger
        self.baseEnvironment = environment
        self.watchNamespaces = namespaces
    }

    /// The kinds the controllers read: their primaries, everything they own, and what their
    /// mappings look at. Kept explicit so RBAC (deploy/) can be checked against it.
    public static let watchedKinds: [GroupKind] = [
        Kinds.mcpServer, Kinds.mcpGroup, Kinds.mcpRegistry, Kinds.virtualMCPServer, Kinds.mcpExternalAuthConfig,
        Kinds.mcpToolConfig, Kinds.compositeToolDefinition, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry,
        Kinds.mcpOIDCConfig, Kinds.mcpAuthzConfig, Kinds.mcpTelemetryConfig,
        Kinds.deployment, Kinds.statefulSet, Kinds.service, Kinds.serviceAccount, Kinds.configMap, Kinds.secret,
        Kinds.pod, Kinds.role, Kinds.roleBinding,
    ]

    /// True once every informer has listed: before that a reconcile would see missing objects.
    public var isSynced: Bool { !expectedInformers.isEmpty && syncedInformers == expectedInformers }

    public func start(workerCount: Int, kinds: [GroupKind] = ControllerManager.watchedKinds) {
        let scopes: [String?] = watchNamespaces.isEmpty ? [nil] : watchNamespaces.map { Optional($0) }
        for kind in kinds where client.catalog.resource(for: kind) != nil {
            for ns in scopes {
                expectedInformers.insert(informerID(kind, ns))
                let watcher = Watcher(client: client, kind: kind, namespace: ns)
                tasks.append(Task { await watcher.run(into: self) })
            }
        }
        for _ in 0..<max(1, workerCount) {
            workers.append(Task { await self.workerLoop() })
        }
        logger.info("manager started", [("informers", String(expectedInformers.count)), ("workers", String(max(1, workerCount)))])
    }

    /// Stops watching, lets in-flight reconciles finish, then returns.
    public func stop() async {
        for t in tasks { t.cancel() }
        await queue.shutDown()
        for w in workers { await w.value }
        for t in tasks { await t.value }
        tasks = []
        workers = []
        logger.info("manager stopped")
    }

    // MARK: WatchSink

    public func replace(_ kind: GroupKind, namespace: String?, objects: [KubeObject], resourceVersion: String) async {
        let changes = cache.replace(kind, namespace: namespace, with: objects, resourceVersion: resourceVersion)
        syncedInformers.insert(informerID(kind, namespace))
        await enqueue(changes)
    }

    public func apply(_ event: WatchEvent, kind: GroupKind) async {
        if let change = cache.apply(event, kind: kind) { await enqueue([change]) }
    }

    public func log(_ message: String, kind: GroupKind) async {
        logger.error(message, [("kind", kind.description)])
    }

    // MARK: the loop

    private func informerID(_ kind: GroupKind, _ ns: String?) -> String { "\(kind)|\(ns ?? "*")" }

    private func environment() -> OperatorEnvironment {
        var env = OperatorEnvironment(variables: baseEnvironment, now: WallTime.now().timestamp)
        env.watchNamespaces = watchNamespaces
        // Live, random bytes come from the system's generator, not the fixed simulation seed.
        env.randomSeed = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        return env
    }

    private func enqueue(_ changes: [CacheChange]) async {
        guard !changes.isEmpty else { return }
        let env = environment()
        var requests = Set<ReconcileRequest>()
        for c in changes {
            requests.formUnion(WatchMapping.requests(changed: c.current, previous: c.previous, snapshot: cache.snapshot, controllers: controllers, env: env))
        }
        for r in requests.sorted() { await queue.add(r) }
    }

    private func workerLoop() async {
        while let request = await queue.get() {
            await process(request)
            await queue.done(request)
        }
    }

    private func process(_ request: ReconcileRequest) async {
        guard isSynced else {
            await queue.add(request, after: 0.2)
            return
        }
        guard let reconciler = controllers.reconciler(named: request.controller) else { return }
        let started = ContinuousClock.now
        let snapshot = cache.snapshot
        let result = reconciler.reconcile(snapshot, key: request.key, env: environment())
        let fields = [("controller", request.controller), ("object", request.key.description)]
        for a in result.actions {
            logger.info("\(a.op) \(a.target.key)", fields + [("reasons", a.reasons.joined(separator: "; "))])
        }
        writes += result.actions.count + result.events.count
        let outcome = await applier.apply(result, observed: snapshot)
        let seconds = Self.seconds(ContinuousClock.now - started)
        switch outcome {
        case .applied(let written, let eventErrors):
            var changes: [CacheChange] = []
            for o in written { if let c = cache.observeWrite(o) { changes.append(c) } }
            for e in eventErrors { logger.error(e, fields) }
            await queue.forget(request)
            if let after = result.requeueAfterSeconds, after > 0 {
                await queue.add(request, after: after)
                metrics.recordReconcile(controller: request.controller, outcome: .requeueAfter, seconds: seconds)
            } else {
                metrics.recordReconcile(controller: request.controller, outcome: .success, seconds: seconds)
            }
            await enqueue(changes)
        case .conflict(let key, let current, let written):
            for o in written { _ = cache.observeWrite(o) }
            if let current { _ = cache.observeWrite(current) }
            logger.info("conflict, requeued with fresh state", fields + [("target", key.description)])
            metrics.recordReconcile(controller: request.controller, outcome: .requeue, seconds: seconds)
            await queue.addRateLimited(request)
        case .failed(let message, let written):
            for o in written { _ = cache.observeWrite(o) }
            logger.error("reconcile failed: \(message)", fields)
            metrics.recordReconcile(controller: request.controller, outcome: .error, seconds: seconds)
            await queue.addRateLimited(request)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The current cache contents (for tests and debugging endpoints).
    public var snapshot: Snapshot { cache.snapshot }
}
