/// One reconcile pass of every controller over every primary in a snapshot: `operatorctl simulate`.
public enum Simulator {
    public static func simulate(_ snapshot: Snapshot, env: OperatorEnvironment, controllers: ControllerSet = .all) -> Plan {
        var results: [ReconcileResult] = []
        for r in controllers.reconcilers {
            for key in snapshot.keys(r.primaryKind) where env.watches(namespace: key.namespace) {
                results.append(r.reconcile(snapshot, key: key, env: env))
            }
        }
        return Plan(reconciles: results)
    }
}
