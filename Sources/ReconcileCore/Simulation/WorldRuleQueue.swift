/// Which primaries each world rule must look at when it next acts, so that `converge
/// --assume-ready` does not have every rule rescan every object of its kind each round (at 10,000
/// servers those rescans were a fifth of converge's time, and each rescan decodes every packed
/// Deployment, StatefulSet, MCPServer and Service again).
///
/// Why skipping the others gives the same writes: a rule's changes for a primary depend only on
/// what it reads, and once they are empty they stay empty until something it reads is written
/// (`WorldRule.changes(for:in:env:)`). So a primary is looked at again when
/// - a write touched something it reads (`WorldRule.primaries(affectedBy:in:)`, on the version
///   before and after every write, by reconcilers and rules alike), or
/// - its last look asked for changes (they may have failed, or changed nothing, and a rescan would
///   ask again).
/// Every other primary would give no changes, exactly what the rescan found. A rule that cannot
/// say what a write affects (`nil`) looks at every primary after any write, as before. The keys
/// are looked at in key order, the order of the rescan, so writes and failures come in the same order.
struct WorldRuleQueue {
    /// Per rule: the primaries to look at, or nil for all of them (at the start, and for a rule
    /// without a mapping after any write).
    private var due: [Set<ObjectKey>?]

    init(ruleCount: Int) {
        due = Array(repeating: nil, count: ruleCount)
    }

    /// The primaries rule `index` must look at now, in key order; they stop being due.
    mutating func take(_ index: Int, rule: any WorldRule, in snapshot: Snapshot) -> [ObjectKey] {
        defer { due[index] = [] }
        guard let keys = due[index] else { return snapshot.keys(rule.primaryKind) }
        return keys.filter { $0.groupKind == rule.primaryKind }.sorted()
    }

    /// `key` asked for changes: look at it again next time.
    mutating func again(_ index: Int, _ key: ObjectKey) {
        due[index]?.insert(key)
    }

    /// Marks what `changes` may have affected, for every rule.
    mutating func noteWrites(_ changes: [ClusterChange], rules: [any WorldRule], model: ClusterModel) {
        func note(_ index: Int, _ object: KubeObject?, _ key: ObjectKey) {
            guard let object, due[index] != nil else { return }
            guard let keys = rules[index].primaries(affectedBy: object, key: key, in: model) else {
                due[index] = nil
                return
            }
            for key in keys { due[index]?.insert(key) }
        }
        for change in changes {
            for index in rules.indices where due[index] != nil {
                note(index, change.old, change.key)
                note(index, change.new, change.key)
            }
        }
    }
}
