import Synchronization

/// The manager's metrics, rendered in the Prometheus text format under controller-runtime's and
/// client-go's names, so existing dashboards and alerts for Go operators work unchanged.
public final class Metrics: Sendable {
    /// controller-runtime's `reconcile_time_seconds` buckets.
    public static let reconcileBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
                                                    0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9,
                                                    10, 15, 20, 25, 30, 40, 50, 60]
    /// The `name` label of the workqueue series.
    public let queueName: String
    private let state = Mutex(State())

    private struct State {
        var reconciles: [String: [String: Int]] = [:]
        var errors: [String: Int] = [:]
        var histograms: [String: Histogram] = [:]
        var queueDepth = 0
        var queueAdds = 0
        var queueRetries = 0
    }

    public init(queueName: String = "toolhive-operator") { self.queueName = queueName }

    public enum ReconcileOutcome: String, Sendable, CaseIterable {
        case success, error, requeue
        case requeueAfter = "requeue_after"
    }

    public func recordReconcile(controller: String, outcome: ReconcileOutcome, seconds: Double) {
        state.withLock { s in
            s.reconciles[controller, default: [:]][outcome.rawValue, default: 0] += 1
            if outcome == .error { s.errors[controller, default: 0] += 1 }
            s.histograms[controller, default: Histogram(bounds: Self.reconcileBuckets)].observe(seconds)
        }
    }

    public func setQueue(depth: Int, adds: Int, retries: Int) {
        state.withLock { s in
            s.queueDepth = depth
            s.queueAdds = adds
            s.queueRetries = retries
        }
    }

    public func reconcileCount(controller: String, outcome: ReconcileOutcome) -> Int {
        state.withLock { $0.reconciles[controller]?[outcome.rawValue] ?? 0 }
    }

    /// The Prometheus text exposition (format 0.0.4).
    public func render() -> String {
        // A copy (the dictionaries are copy-on-write): rendering happens outside the lock.
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP controller_runtime_reconcile_total Total number of reconciliations per controller\n"
        out += "# TYPE controller_runtime_reconcile_total counter\n"
        for c in s.reconciles.keys.sorted() {
            for o in ReconcileOutcome.allCases {
                out += "controller_runtime_reconcile_total{controller=\"\(escape(c))\",result=\"\(o.rawValue)\"} \(s.reconciles[c]?[o.rawValue] ?? 0)\n"
            }
        }
        out += "# HELP controller_runtime_reconcile_errors_total Total number of reconciliation errors per controller\n"
        out += "# TYPE controller_runtime_reconcile_errors_total counter\n"
        for c in s.reconciles.keys.sorted() {
            out += "controller_runtime_reconcile_errors_total{controller=\"\(escape(c))\"} \(s.errors[c] ?? 0)\n"
        }
        out += "# HELP controller_runtime_reconcile_time_seconds Length of time per reconciliation per controller\n"
        out += "# TYPE controller_runtime_reconcile_time_seconds histogram\n"
        for c in s.histograms.keys.sorted() {
            guard let h = s.histograms[c] else { continue }
            let label = "controller=\"\(escape(c))\""
            var cumulative = 0
            for (i, b) in h.bounds.enumerated() {
                cumulative += h.counts[i]
                out += "controller_runtime_reconcile_time_seconds_bucket{\(label),le=\"\(format(b))\"} \(cumulative)\n"
            }
            out += "controller_runtime_reconcile_time_seconds_bucket{\(label),le=\"+Inf\"} \(h.total)\n"
            out += "controller_runtime_reconcile_time_seconds_sum{\(label)} \(format(h.sum))\n"
            out += "controller_runtime_reconcile_time_seconds_count{\(label)} \(h.total)\n"
        }
        let q = "name=\"\(escape(queueName))\""
        out += "# HELP workqueue_depth Current depth of workqueue\n# TYPE workqueue_depth gauge\nworkqueue_depth{\(q)} \(s.queueDepth)\n"
        out += "# HELP workqueue_adds_total Total number of adds handled by workqueue\n# TYPE workqueue_adds_total counter\nworkqueue_adds_total{\(q)} \(s.queueAdds)\n"
        out += "# HELP workqueue_retries_total Total number of retries handled by workqueue\n# TYPE workqueue_retries_total counter\nworkqueue_retries_total{\(q)} \(s.queueRetries)\n"
        return out
    }

    /// Label values escape backslash, double quote and line feed (the text format's rules).
    private func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
    private func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}

/// A fixed-bucket histogram (non-cumulative counts; rendering accumulates).
struct Histogram: Sendable {
    let bounds: [Double]
    var counts: [Int]
    var sum = 0.0
    var total = 0
    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }
    mutating func observe(_ v: Double) {
        sum += v
        total += 1
        if let i = bounds.firstIndex(where: { v <= $0 }) { counts[i] += 1 }
    }
}
