import Foundation
import ReconcileCore

/// `operatorctl run`: connects, serves probes and metrics, optionally waits for leadership, runs
/// the controllers until SIGTERM/SIGINT, then shuts down gracefully (in-flight reconciles finish,
/// the lease is released).
public func runManager(options: ManagerOptions) async throws(ManagerError) {
    try await runManager(options: options, until: { await waitForTerminationSignal() })
}

/// The same, stopping when `until` returns (tests and embedders decide when).
public func runManager(options: ManagerOptions, until: @escaping @Sendable () async -> Void) async throws(ManagerError) {
    let logger = Logger(format: options.logFormat)
    let connection: ClusterConnection
    if let c = options.connection {
        connection = c
    } else {
        do {
            connection = try ConnectionResolver(kubeconfigPath: options.kubeconfigPath, context: options.context,
                                                environment: options.environment, home: options.environment["HOME"]).resolve()
        } catch { throw ManagerError(error.description) }
    }
    if let why = CurlTransport.unavailableReason() { throw ManagerError("HTTP client unavailable: \(why)") }
    let client = APIClient(transport: CurlTransport(connection: connection))
    let env = options.environment
    let identity = options.identity ?? "\(env["POD_NAME"] ?? ProcessInfo.processInfo.hostName)_\(UUID().uuidString.prefix(8).lowercased())"
    let metrics = Metrics()
    let manager = ControllerManager(client: client, controllers: options.controllers, environment: env, namespaces: options.watchNamespaces,
                                    logger: logger, identity: identity, metrics: metrics)
    let ready = Flag()

    var probes: HTTPServer? = nil
    if let address = options.probeAddress {
        guard let (host, port) = ProbeEndpoints.parseAddress(address) else { throw ManagerError("\(address): not a host:port address") }
        let endpoints = ProbeEndpoints(metrics: metrics, ready: ready)
        let server = HTTPServer(host: host, port: port, allowNonLoopback: true) { endpoints.handle($0) }
        do { try server.start() } catch { throw ManagerError("probe server: \(error)") }
        probes = server
        logger.info("serving probes and metrics", [("address", "\(host):\(server.port)")])
    }
    defer { probes?.stop() }

    // Stop requests (signal, caller, lost leadership) all end up here.
    let stop = StopSignal()
    let waiter = Task {
        await until()
        stop.fire("shutdown requested")
    }
    defer { waiter.cancel() }

    var elector: LeaderElector? = nil
    if options.leaderElection {
        let ns = options.leaseNamespace ?? env["POD_NAMESPACE"] ?? connection.namespace ?? "default"
        let e = LeaderElector(client: client, namespace: ns, name: options.leaseName, identity: identity)
        logger.info("waiting for leadership", [("lease", "\(ns)/\(options.leaseName)"), ("identity", identity)])
        let acquiring = Task { await e.acquire() }
        Task {
            _ = await stop.wait()
            acquiring.cancel()
        }
        guard await acquiring.value else { return }
        logger.info("became leader", [("identity", identity)])
        elector = e
    }

    await manager.start(workerCount: options.workers)
    let readiness = Task {
        while !Task.isCancelled {
            ready.set(await manager.isSynced)
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
    }
    var leadership: Task<Void, Never>? = nil
    if let elector {
        leadership = Task {
            await elector.holdLeadership()
            if !Task.isCancelled { stop.fire("leadership lost") }
        }
    }
    let reason = await stop.wait()
    logger.info("shutting down", [("reason", reason)])
    leadership?.cancel()
    readiness.cancel()
    await manager.stop()
    if let elector { await elector.release() }
    if reason == "leadership lost" { throw ManagerError("leader election lost") }
}

/// Returns on the first SIGTERM or SIGINT.
public func waitForTerminationSignal() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        // The handlers hold the box and the box holds the sources: they stay alive (and the
        // signals ignored by default handling) for the rest of the process.
        let box = SignalBox()
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                if box.fire() { c.resume() }
            }
            box.add(s)
            s.resume()
        }
    }
}

/// A one-shot stop request with a reason, awaited by any number of tasks.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private var waiters: [CheckedContinuation<String, Never>] = []

    func fire(_ why: String) {
        let resumed: [CheckedContinuation<String, Never>] = lock.withLock {
            guard reason == nil else { return [] }
            reason = why
            defer { waiters = [] }
            return waiters
        }
        for w in resumed { w.resume(returning: why) }
    }

    func wait() async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            let now: String? = lock.withLock {
                if let reason { return reason }
                waiters.append(c)
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}

final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var fired = false
    func add(_ s: any DispatchSourceSignal) { lock.withLock { sources.append(s) } }
    /// True the first time only.
    func fire() -> Bool { lock.withLock { defer { fired = true }; return !fired } }
}
