import ReconcileCore

/// Receives what a watcher sees; the manager implements it over its cache.
public protocol WatchSink: Sendable {
    /// A full list of `kind` in `namespace` (nil: all): replaces the cached set.
    func replace(_ kind: GroupKind, namespace: String?, objects: [KubeObject], resourceVersion: String) async
    func apply(_ event: WatchEvent, kind: GroupKind) async
    func log(_ message: String, kind: GroupKind) async
}

/// List, then watch from the list's resourceVersion with bookmarks, for one kind in one
/// namespace scope (kube-rs's `watcher`, client-go's reflector):
/// - `410 Gone` (as status or ERROR event) → relist;
/// - an error or a broken stream → re-watch from the last seen version after a backoff;
/// - a watch the server ends normally (its timeout) → re-watch at once.
public struct Watcher: Sendable {
    public let client: APIClient
    public let kind: GroupKind
    public let namespace: String?
    /// How long the server keeps each watch open.
    public var watchTimeoutSeconds = 300
    public var backoff = Backoff(initial: 0.5, max: 30)

    public init(client: APIClient, kind: GroupKind, namespace: String?) {
        self.client = client
        self.kind = kind
        self.namespace = namespace
    }

    /// Runs until the task is cancelled.
    public func run(into sink: some WatchSink) async {
        var resourceVersion: String? = nil
        var failures = 0
        func pause() async {
            let d = backoff.delay(after: failures)
            failures += 1
            try? await Task.sleep(nanoseconds: UInt64(d * 1e9))
        }
        while !Task.isCancelled {
            guard let rv = resourceVersion else {
                do {
                    let (objects, listRV) = try await client.list(kind, namespace: namespace)
                    await sink.replace(kind, namespace: namespace, objects: objects, resourceVersion: listRV)
                    resourceVersion = listRV
                    failures = 0
                } catch {
                    await sink.log("list failed: \(error)", kind: kind)
                    await pause()
                }
                continue
            }
            let stream: APIStream
            do {
                stream = try await client.watch(kind, namespace: namespace, resourceVersion: rv, timeoutSeconds: watchTimeoutSeconds)
            } catch {
                if error.isGone { resourceVersion = nil } else {
                    await sink.log("watch failed: \(error)", kind: kind)
                    await pause()
                }
                continue
            }
            var decoder = WatchEventDecoder()
            var restart = false
            do {
                streamLoop: for try await chunk in stream.body {
                    for event in decoder.feed(chunk) {
                        switch event {
                        case .added(let o), .modified(let o), .deleted(let o):
                            await sink.apply(event, kind: kind)
                            if !o.resourceVersion.isEmpty { resourceVersion = o.resourceVersion }
                            failures = 0
                        case .bookmark(let r):
                            await sink.apply(event, kind: kind)
                            if !r.isEmpty { resourceVersion = r }
                        case .error(let code, _, let message):
                            if code == 410 { resourceVersion = nil } else {
                                await sink.log("watch error \(code): \(message)", kind: kind)
                                restart = true
                            }
                            break streamLoop
                        case .invalid(let why):
                            await sink.log(why, kind: kind)
                            restart = true
                            break streamLoop
                        }
                    }
                }
            } catch {
                await sink.log("watch stream broke: \(error)", kind: kind)
                restart = true
            }
            if restart { await pause() }
        }
    }
}

/// Exponential backoff for reconnects: `initial * 2^n`, capped, with ±20% jitter so many
/// watchers do not reconnect in lockstep.
public struct Backoff: Sendable {
    public var initial: Double
    public var max: Double
    public init(initial: Double, max: Double) {
        self.initial = initial
        self.max = max
    }
    public func delay(after failures: Int) -> Double {
        var d = initial
        for _ in 0..<min(failures, 30) { d *= 2 }
        d = Swift.min(d, max)
        return d * Double.random(in: 0.8...1.2)
    }
}
