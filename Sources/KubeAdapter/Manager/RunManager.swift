#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import ReconcileCore
import Synchronization

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
    let identity = options.identity ?? "\(env["POD_NAME"] ?? ProcessEnvironment.hostName)_\(randomSuffix())"
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
        let signals = [SIGTERM, SIGINT]
        for sig in signals { signal(sig, SIG_IGN) }
        let box = SignalBox(signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) })
        for s in box.sources {
            s.setEventHandler {
                if box.fire() { c.resume() }
            }
            s.resume()
        }
    }
}

/// Eight random hex digits: tells apart two replicas on one host (a lease identity must be unique).
func randomSuffix() -> String {
    let hex = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return String(repeating: "0", count: 8 - hex.count) + hex
}

/// A one-shot stop request with a reason, awaited by any number of tasks.
final class StopSignal: Sendable {
    private struct State {
        var reason: String?
        var waiters: [CheckedContinuation<String, Never>] = []
    }
    private let state = Mutex(State())

    func fire(_ why: String) {
        let resumed: [CheckedContinuation<String, Never>] = state.withLock { s in
            guard s.reason == nil else { return [] }
            s.reason = why
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in resumed { w.resume(returning: why) }
    }

    func wait() async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            let now: String? = state.withLock { s in
                if let reason = s.reason { return reason }
                s.waiters.append(c)
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}

/// Keeps the signal sources alive; `@unchecked` because they are only held after set-up, never
/// touched again.
final class SignalBox: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    private let fired = Mutex(false)
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    /// True the first time only.
    func fire() -> Bool { fired.withLock { f in defer { f = true }; return !f } }
}
