/// One reconcile pass of every controller over every primary in a snapshot: `operatorctl simulate`.
public enum Simulator {
    /// One reconcile to run: a controller and a primary it owns.
    public struct Job: Sendable {
        public let reconciler: any Reconciler
        public let key: ObjectKey

        public func run(_ snapshot: Snapshot, env: OperatorEnvironment) -> ReconcileResult {
            reconciler.reconcile(snapshot, key: key, env: env)
        }
    }

    /// Every reconcile of the pass, in the Plan's order (controller, namespace, name). Reconciles
    /// only read the snapshot, so callers may run them in any order or in parallel and still
    /// print them in this one.
    public static func jobs(_ snapshot: Snapshot, env: OperatorEnvironment, controllers: ControllerSet = .all) -> Jobs {
        var jobs = Jobs()
        for r in controllers.reconcilers.sorted(by: { $0.name < $1.name }) {
            var keys = snapshot.keyList(r.primaryKind)
            keys.removeKeys(inNamespacesWhere: { !env.watches(namespace: $0) })
            jobs.append(r, keys)
        }
        return jobs
    }

    /// The pass's jobs as each controller's sorted keys, read as one list: a `Job` array (an
    /// existential and a key per primary) was 2.6 MB of `simulate`'s peak at 10,000 servers
    /// while it grew, on top of the key arrays it was made from; the keys are `KeyList`s
    /// (0.8 MB as `ObjectKey` arrays).
    public struct Jobs: RandomAccessCollection, Sendable {
        private var reconcilers: [any Reconciler] = []
        private var keys: [KeyList] = []
        /// `ends[i]`: the index after controller i's last job.
        private var ends: [Int] = []

        mutating func append(_ reconciler: any Reconciler, _ primaries: KeyList) {
            guard !primaries.isEmpty else { return }
            reconcilers.append(reconciler)
            keys.append(primaries)
            ends.append((ends.last ?? 0) + primaries.count)
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { ends.last ?? 0 }
        public subscript(i: Int) -> Job {
            // A handful of controllers: a linear walk is cheaper than a search.
            var c = 0
            while c < ends.count - 1 && i >= ends[c] { c += 1 }
            let start = c == 0 ? 0 : ends[c - 1]
            return Job(reconciler: reconcilers[c], key: keys[c][i - start])
        }
    }

    public static func simulate(_ snapshot: Snapshot, env: OperatorEnvironment, controllers: ControllerSet = .all) -> Plan {
        Plan(reconciles: jobs(snapshot, env: env, controllers: controllers).map { $0.run(snapshot, env: env) })
    }
}
