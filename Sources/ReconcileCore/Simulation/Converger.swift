/// `operatorctl converge`: runs the controllers against a `ClusterModel` until nothing is left to
/// do, the way the live manager would, but on a simulated clock and in a fixed order.
///
/// Each round reconciles every dirty primary (sorted), applying its plan right away so the next
/// reconcile reads the result; whatever the watch mapping says the writes touched becomes dirty
/// for the next round (a primary's own status write re-queues it, as in the real operator). With
/// `assumeReady` the world rules then play the cluster's other actors. `requeueAfter` schedules
/// a primary on the clock; when nothing is dirty the clock jumps to the earliest requeue.
///
/// It stops at a fixed point: no write in a round, and every pending requeue has been run once
/// more without writing (a steady "requeue every 30 s while not ready" is a fixed point, not a
/// loop). It refuses to loop: a cluster state seen before after a round that wrote is an
/// oscillation, and `maxRounds` bounds everything else; both report the objects and fields
/// still changing.
public struct Converger: Sendable {
    public struct Options: Sendable {
        /// Run the world rules (workloads become ready, Services get addresses, ...).
        public var assumeReady: Bool
        public var maxRounds: Int
        /// Keep every write with its reasons (for `--explain`); off for large runs.
        public var recordTrace: Bool

        public init(assumeReady: Bool = false, maxRounds: Int = 100, recordTrace: Bool = false) {
            self.assumeReady = assumeReady
            self.maxRounds = maxRounds
            self.recordTrace = recordTrace
        }
    }

    public var controllers: ControllerSet
    public var worldRules: [any WorldRule]
    public var env: OperatorEnvironment
    public var options: Options

    public init(controllers: ControllerSet = .all, worldRules: [any WorldRule] = WorldRules.standard, env: OperatorEnvironment, options: Options = Options()) {
        self.controllers = controllers
        self.worldRules = worldRules
        self.env = env
        self.options = options
    }

    /// Runs to a fixed point from `model` (whose clock starts at `env.now` when older).
    public func converge(_ start: ClusterModel) throws(ConvergeError) -> ConvergeResult {
        var model = start
        if model.now < env.now { model.now = env.now }
        var trace: [TraceEntry] = []
        var failures: [String] = []
        var dirty = Set<ReconcileRequest>()
        for r in controllers.reconcilers {
            for key in model.snapshot.keys(r.primaryKind) where env.watches(namespace: key.namespace) {
                dirty.insert(ReconcileRequest(controller: r.name, key: key))
            }
        }
        var scheduled: [ReconcileRequest: Timestamp] = [:]
        var quiet = Set<ReconcileRequest>()
        var detector = OscillationDetector(model: model)
        var ruleQueue = WorldRuleQueue(ruleCount: worldRules.count)
        var round = 0
        // The world rules act in the first round even when there is no primary, and again after
        // any round that wrote, until they have nothing left to do.
        var lastRoundWrote = true

        while true {
            var requeueOnly = false
            if dirty.isEmpty && !(options.assumeReady && lastRoundWrote) {
                let pending = scheduled.filter { !quiet.contains($0.key) }
                guard let due = pending.values.min() else { break }
                if model.now < due { model.now = due }
                for (req, at) in pending where at <= model.now {
                    dirty.insert(req)
                    scheduled[req] = nil
                }
                requeueOnly = true
            }
            round += 1
            if round > options.maxRounds {
                throw .noFixedPoint(rounds: options.maxRounds, still: detector.lastChurn)
            }
            var next = Set<ReconcileRequest>()
            var roundChanges: [KeptWrite] = []
            var roundEnv = env
            roundEnv.now = model.now

            for req in dirty.sorted() {
                next.remove(req)
                guard let reconciler = controllers.reconciler(named: req.controller), model.snapshot.contains(req.key) else { continue }
                let result = reconciler.reconcile(model.snapshot, key: req.key, env: roundEnv)
                model.recordEvents(result)
                let writer = "\(req.controller) \(req.key.namespace)/\(req.key.name)"
                var failed = false
                for action in result.actions {
                    do {
                        try model.perform(action, writer: writer)
                    } catch {
                        failures.append("round \(round): \(writer): \(action.op) \(action.target.kind)/\(action.target.name): \(error)")
                        failed = true
                        break
                    }
                }
                let changes = model.drainChanges()
                for c in changes {
                    next.formUnion(WatchMapping.requests(changed: c.new, previous: c.old, snapshot: model.snapshot, controllers: controllers, env: env))
                }
                if options.assumeReady { ruleQueue.noteWrites(changes, rules: worldRules, model: model) }
                roundChanges += changes.map(KeptWrite.init)
                if options.recordTrace { trace += changes.map { TraceEntry(round: round, time: model.now, change: $0) } }
                // A failed plan is retried with backoff, as the real work queue does.
                let delay: Double? = failed ? 1 : result.requeueAfterSeconds
                if let delay {
                    let at = model.now.adding(seconds: max(delay, 0))
                    scheduled[req] = min(scheduled[req] ?? at, at)
                }
            }

            if options.assumeReady {
                for (index, rule) in worldRules.enumerated() {
                    // Every change is worked out before any is made, as a rescan of the whole
                    // snapshot would; only the primaries a write may have affected are asked.
                    var ruleChanges: [WorldChange] = []
                    for key in ruleQueue.take(index, rule: rule, in: model.snapshot) {
                        let changes = rule.changes(for: key, in: model.snapshot, env: roundEnv)
                        if !changes.isEmpty { ruleQueue.again(index, key) }
                        ruleChanges += changes
                    }
                    for change in ruleChanges {
                        do {
                            try model.perform(change, rule: rule.name)
                        } catch {
                            failures.append("round \(round): \(rule.name): \(error)")
                        }
                    }
                    let changes = model.drainChanges()
                    for c in changes {
                        next.formUnion(WatchMapping.requests(changed: c.new, previous: c.old, snapshot: model.snapshot, controllers: controllers, env: env))
                    }
                    ruleQueue.noteWrites(changes, rules: worldRules, model: model)
                    roundChanges += changes.map(KeptWrite.init)
                    if options.recordTrace { trace += changes.map { TraceEntry(round: round, time: model.now, change: $0) } }
                }
            }

            lastRoundWrote = !roundChanges.isEmpty
            if roundChanges.isEmpty {
                if requeueOnly { quiet.formUnion(dirty) }
            } else {
                quiet.removeAll()
                if let cycle = detector.observe(round: round, changes: roundChanges, model: model) {
                    throw .oscillation(rounds: round, still: cycle)
                }
            }
            dirty = next
        }
        return ConvergeResult(model: model, rounds: round, trace: trace, failures: failures)
    }
}

/// What converge ended with.
public struct ConvergeResult: Sendable {
    public var model: ClusterModel
    /// Rounds run, the last one being the one that found nothing to do.
    public var rounds: Int
    /// Every write with its reasons, when `recordTrace` was on.
    public var trace: [TraceEntry]
    /// Writes the ClusterModel refused (conflicts, missing objects), which the real operator
    /// would retry; they do not stop convergence.
    public var failures: [String]

    /// The contract's List.
    public var list: Value { model.list }
}

/// One write, for `--explain`.
public struct TraceEntry: Sendable {
    public var round: Int
    public var time: Timestamp
    public var writer: String
    public var op: String
    public var target: ObjectKey
    public var reasons: [String]
    public var changedFields: [String]

    init(round: Int, time: Timestamp, change: ClusterChange) {
        self.round = round
        self.time = time
        writer = change.writer
        op = change.new == nil ? "delete" : (change.old == nil ? "create" : change.op)
        target = change.key
        reasons = change.reasons
        changedFields = change.changedFields
    }

    /// `round 3 (2026-01-01T00:00:05Z) MCPServer default/x: apply Deployment/default/x` plus
    /// indented reasons and changed fields.
    public var text: String {
        var lines = ["round \(round) (\(time.rfc3339)) \(writer): \(op) \(target)"]
        lines += reasons.map { "    because: \($0)" }
        lines += changedFields.prefix(20).map { "    changed: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// An object that kept changing, with the fields that changed and who changed them.
public struct ObjectChurn: Sendable, Equatable, CustomStringConvertible {
    public var key: ObjectKey
    /// The object's controlling owner, so a message can point at the input object behind it.
    public var owner: ObjectKey?
    public var writers: [String]
    public var fields: [String]
    public var description: String {
        let changed = fields.isEmpty ? "created or deleted" : fields.prefix(8).joined(separator: "; ")
        return "\(key) (written by \(writers.joined(separator: ", "))): \(changed)"
    }
}

/// Why converge gave up.
public enum ConvergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cluster came back to a state it had after an earlier round, and writes go on.
    case oscillation(rounds: Int, still: [ObjectChurn])
    /// `maxRounds` rounds and still writing.
    case noFixedPoint(rounds: Int, still: [ObjectChurn])

    /// "1 round", "7 rounds".
    public static func rounds(_ n: Int) -> String { n == 1 ? "1 round" : "\(n) rounds" }

    public var objects: [ObjectChurn] {
        switch self {
        case .oscillation(_, let s), .noFixedPoint(_, let s): return s
        }
    }

    public var description: String {
        switch self {
        case .oscillation(let rounds, let still):
            return "converge found an oscillation after \(Self.rounds(rounds)): objects written back and forth: " + still.map(\.description).joined(separator: " | ")
        case .noFixedPoint(let rounds, let still):
            return "converge did not reach a fixed point in \(Self.rounds(rounds)); still changing: " + still.map(\.description).joined(separator: " | ")
        }
    }
}

/// Fingerprints the whole cluster after every round that wrote (an order-free sum of object
/// fingerprints, updated per write) and reports a repeat: the controllers and rules are
/// deterministic, so a state seen before means the same writes will come again.
///
/// Fingerprinting starts at round `startRound`: a healthy converge is done in a handful of rounds
/// and should not pay for it, while a loop keeps going and is caught a few rounds later.
struct OscillationDetector {
    private var perObject: [ObjectKey: UInt64] = [:]
    private var total: UInt64 = 0
    private var seen: [UInt64: Int] = [:]
    private var started = false
    /// Changes per round, kept for the last few rounds only.
    private var recent: [(round: Int, changes: [KeptWrite])] = []
    private static let window = 8
    static let startRound = 8

    init(model: ClusterModel) {}

    /// Objects written in the last round, for a `maxRounds` report.
    var lastChurn: [ObjectChurn] { Self.churn(recent.last.map { [$0] } ?? []) }

    mutating func observe(round: Int, changes: [KeptWrite], model: ClusterModel) -> [ObjectChurn]? {
        // A report names the writes of rounds after the first fingerprinted one, or of the last
        // round that wrote: earlier rounds are dropped at once (the first rounds write about the
        // whole cluster).
        recent.removeAll { $0.round <= Self.startRound }
        recent.append((round, changes))
        if recent.count > Self.window { recent.removeFirst() }
        guard round >= Self.startRound else { return nil }
        if !started {
            started = true
            model.snapshot.forEachObject { key, o in
                let f = ObjectFingerprint.of(o)
                perObject[key] = f
                total &+= f
            }
            seen[total] = round
            return nil
        }
        for key in Set(changes.map(\.key)) {
            total &-= perObject[key] ?? 0
            if let o = model.snapshot.get(key) {
                let f = ObjectFingerprint.of(o)
                perObject[key] = f
                total &+= f
            } else {
                perObject[key] = nil
            }
        }
        if let earlier = seen[total] {
            return Self.churn(recent.filter { $0.round > earlier })
        }
        seen[total] = round
        return nil
    }

    private static func churn(_ rounds: [(round: Int, changes: [KeptWrite])]) -> [ObjectChurn] {
        var byKey: [ObjectKey: (writers: [String], fields: [String])] = [:]
        var owners: [ObjectKey: ObjectKey] = [:]
        for (_, changes) in rounds {
            for kept in changes {
                let c = kept.change
                if let o = c.new ?? c.old, let ref = o.controllerOwner {
                    owners[c.key] = ObjectKey(GroupKind(group: APIVersion.group(of: ref.apiVersion), kind: ref.kind), namespace: c.key.namespace, name: ref.name)
                }
                var entry = byKey[c.key] ?? ([], [])
                if !entry.writers.contains(c.writer) { entry.writers.append(c.writer) }
                for f in c.changedFields where !entry.fields.contains(f) { entry.fields.append(f) }
                byKey[c.key] = entry
            }
        }
        return byKey.keys.sorted().prefix(20).compactMap { key in
            byKey[key].map { ObjectChurn(key: key, owner: owners[key], writers: $0.writers, fields: $0.fields) }
        }
    }
}

/// A write kept after its round for the detector's reports: who wrote, and the versions as the
/// snapshot stores them (packed). The first rounds write about the whole cluster, and their
/// changes' trees were a third of converge's peak memory; a kept write is 40 bytes plus the old
/// version's bytes. Everything else (key, owner, changed fields) is worked out from the
/// versions when a report needs it.
struct KeptWrite: Sendable {
    var writer: String
    var old: StoredObject?
    var new: StoredObject?

    init(_ change: ClusterChange) {
        writer = change.writer
        old = change.storedOld ?? change.old.map(StoredObject.tree)
        new = change.storedNew ?? change.new.map(StoredObject.tree)
    }

    /// The written object's key (a write has at least one version).
    var key: ObjectKey { ((new ?? old)?.object ?? KubeObject(root: OrderedMap())).key }

    /// The write again, decoded (without its operation and reasons, which reports do not show).
    var change: ClusterChange {
        let old = old?.object, new = new?.object
        return ClusterChange(key: (new ?? old ?? KubeObject(root: OrderedMap())).key, old: old, new: new, writer: writer, op: "", reasons: [])
    }
}
