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
    public static func jobs(_ snapshot: Snapshot, env: OperatorEnvironment, controllers: ControllerSet = .all) -> [Job] {
        var jobs: [Job] = []
        for r in controllers.reconcilers.sorted(by: { $0.name < $1.name }) {
            for key in snapshot.keys(r.primaryKind) where env.watches(namespace: key.namespace) {
                jobs.append(Job(reconciler: r, key: key))
            }
        }
        return jobs
    }

    public static func simulate(_ snapshot: Snapshot, env: OperatorEnvironment, controllers: ControllerSet = .all) -> Plan {
        Plan(reconciles: jobs(snapshot, env: env, controllers: controllers).map { $0.run(snapshot, env: env) })
    }
}
