/// The names filed under one slot of `Snapshot`'s label and field indexes.
///
/// Most slots hold a few names (the servers of one group, the vMCP of a group): up to
/// `arrayLimit` names are kept as an exactly sized sorted array, 16 bytes a name plus the array's
/// 32, where a `Set<String>` of ten names takes 320 bytes (2,000 such slots were 0.6 MB of the
/// CLI's peak at 10,000 servers). A larger slot (a label most objects carry) is a `Set`, so
/// inserting and removing stay cheap; it stays one when it shrinks again.
struct NameSet: Sendable, Equatable {
    private enum Storage: Sendable, Equatable {
        case sorted([String])
        case hashed(Set<String>)
    }

    private var storage = Storage.sorted([])

    /// Above this many names the slot is hashed: an insertion copies the array once.
    static let arrayLimit = 32

    init() {}

    var count: Int {
        switch storage {
        case .sorted(let a): return a.count
        case .hashed(let s): return s.count
        }
    }

    var isEmpty: Bool { count == 0 }

    /// The names in ascending order.
    var sorted: [String] {
        switch storage {
        case .sorted(let a): return a
        case .hashed(let s): return s.sorted()
        }
    }

    func contains(_ name: String) -> Bool {
        switch storage {
        case .sorted(let a):
            let i = Self.position(of: name, in: a)
            return i < a.count && a[i] == name
        case .hashed(let s): return s.contains(name)
        }
    }

    mutating func insert(_ name: String) {
        switch storage {
        case .sorted(let a):
            let i = Self.position(of: name, in: a)
            if i < a.count && a[i] == name { return }
            if a.count >= Self.arrayLimit {
                var s = Set(a)
                s.insert(name)
                storage = .hashed(s)
                return
            }
            // A new array of the exact size: inserting in place would double the capacity.
            storage = .sorted(Self.exactArray(count: a.count + 1) { out in
                out.append(contentsOf: a[..<i])
                out.append(name)
                out.append(contentsOf: a[i...])
            })
        case .hashed(var s):
            storage = .sorted([])  // drop the reference so `s` is changed in place
            s.insert(name)
            storage = .hashed(s)
        }
    }

    mutating func remove(_ name: String) {
        switch storage {
        case .sorted(let a):
            let i = Self.position(of: name, in: a)
            guard i < a.count && a[i] == name else { return }
            storage = .sorted(Self.exactArray(count: a.count - 1) { out in
                out.append(contentsOf: a[..<i])
                out.append(contentsOf: a[(i + 1)...])
            })
        case .hashed(var s):
            storage = .sorted([])
            s.remove(name)
            storage = .hashed(s)
        }
    }

    /// The first position whose name is not less than `name`.
    private static func position(of name: String, in a: [String]) -> Int {
        var lo = 0
        var hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < name { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func exactArray(count: Int, _ fill: (inout [String]) -> Void) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        fill(&out)
        return out
    }
}
