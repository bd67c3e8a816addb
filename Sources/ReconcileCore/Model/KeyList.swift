/// A list of object keys stored as runs that share a kind and a namespace, each key as just its
/// name: 16 bytes a key instead of an `ObjectKey`'s 64. For the long key lists the CLI walks in
/// order (`simulate`'s jobs, `convert`'s List): at 10,000 servers, 13,000 `ObjectKey`s were
/// 0.8 MB of `simulate`'s peak, and the List order 1.7 MB of `convert`'s while it was built.
///
/// Reading a key builds an `ObjectKey` from its run (no allocation: the strings are shared).
public struct KeyList: RandomAccessCollection, Sendable, Equatable {
    /// Keys `end` and after belong to the next run.
    private struct Run: Sendable, Equatable {
        var kind: GroupKind
        var namespace: String
        var end: Int
    }

    private var runs: [Run] = []
    private var names: [String] = []

    public init() {}

    /// The keys in the given order (consecutive keys of one kind and namespace share a run).
    public init<S: Sequence>(_ keys: S) where S.Element == ObjectKey {
        for key in keys { append(key.groupKind, namespace: key.namespace, names: CollectionOfOne(key.name)) }
    }

    /// Room for `n` keys in all, so a known number of additions doesn't double the storage.
    public mutating func reserveCapacity(_ n: Int) { names.reserveCapacity(n) }

    /// Appends the keys `kind`/`namespace`/`name` for each of `names`, in that order.
    public mutating func append<C: Collection>(_ kind: GroupKind, namespace: String, names more: C) where C.Element == String {
        guard !more.isEmpty else { return }
        self.names.append(contentsOf: more)
        if let last = runs.last, last.kind == kind, last.namespace == namespace {
            runs[runs.count - 1].end = self.names.count
        } else {
            runs.append(Run(kind: kind, namespace: namespace, end: self.names.count))
        }
    }

    /// Appends the keys `kind`/`namespace`/`name` for each of `names`, sorted by name: sorted
    /// in place, so no sorted copy of a large namespace's names is made first.
    public mutating func appendSorted<C: Collection>(_ kind: GroupKind, namespace: String, names more: C) where C.Element == String {
        let start = names.count
        append(kind, namespace: namespace, names: more)
        // Through the buffer: sorting `names[start...]` copied the slice first.
        names.withUnsafeMutableBufferPointer { $0[start...].sort() }
    }

    /// Appends every key of `other`, in its order.
    public mutating func append(contentsOf other: KeyList) {
        var start = 0
        for run in other.runs {
            append(run.kind, namespace: run.namespace, names: other.names[start..<run.end])
            start = run.end
        }
    }

    /// Drops the keys in the namespaces `isExcluded` names (asked once per run, not per key).
    public mutating func removeKeys(inNamespacesWhere isExcluded: (String) -> Bool) {
        guard runs.contains(where: { isExcluded($0.namespace) }) else { return }
        var kept = KeyList()
        var start = 0
        for run in runs {
            if !isExcluded(run.namespace) { kept.append(run.kind, namespace: run.namespace, names: names[start..<run.end]) }
            start = run.end
        }
        self = kept
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { names.count }

    public subscript(i: Int) -> ObjectKey {
        let run = runs[run(containing: i)]
        return ObjectKey(run.kind, namespace: run.namespace, name: names[i])
    }

    /// The run that holds key `i`: the first whose end is after it (a binary search; lists have
    /// a few runs, one per kind and namespace).
    private func run(containing i: Int) -> Int {
        var lo = 0
        var hi = runs.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].end > i { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Equal when they hold the same keys in the same order, however they were split into runs.
    public static func == (a: KeyList, b: KeyList) -> Bool { a.elementsEqual(b) }
}
