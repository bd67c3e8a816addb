/// How the workload controllers read pods (spec A §2.7 step 4): each pod is running, pending or
/// failed (with the first failure reason), and terminating pods are left out.
public enum PodStatus: Sendable, Hashable {
    case running
    case pending
    case failed(reason: String)

    /// Container waiting reasons that mean the pod will not come up by itself. `ImagePullBackOff`
    /// and `ErrImagePull` are deliberately absent: the real operator treats them as still pending.
    public static let failingWaitReasons: Set<String> = ["CrashLoopBackOff", "CreateContainerError", "InvalidImageName"]

    /// nil for a pod being deleted (it no longer counts).
    public static func classify(_ pod: KubeObject) -> PodStatus? {
        if pod.isBeingDeleted { return nil }
        let statuses = pod.status["containerStatuses"]?.arrayValue ?? []
        for cs in statuses {
            if let reason = cs[path: "state.waiting.reason"]?.stringValue, failingWaitReasons.contains(reason) {
                return .failed(reason: reason)
            }
            if let code = cs[path: "state.terminated.exitCode"]?.intValue, code != 0 {
                return .failed(reason: "ContainerTerminated")
            }
        }
        switch pod.status["phase"]?.stringValue ?? "" {
        case "Running":
            let allReady = !statuses.isEmpty && statuses.allSatisfy { $0["ready"]?.boolValue == true }
            return allReady ? .running : .pending
        case "Succeeded": return .running
        case "Failed": return .failed(reason: "PodFailed")
        default: return .pending  // Pending, Unknown, or not reported yet
        }
    }

    /// Counts over a pod list, keeping the first failure reason met.
    public struct Summary: Sendable, Hashable {
        public var running = 0
        public var pending = 0
        public var failed = 0
        public var firstFailureReason: String? = nil
        public var total: Int { running + pending + failed }

        public init(_ pods: [KubeObject]) {
            for pod in pods {
                switch PodStatus.classify(pod) {
                case .running?: running += 1
                case .pending?: pending += 1
                case .failed(let reason)?:
                    failed += 1
                    if firstFailureReason == nil { firstFailureReason = reason }
                case nil: continue
                }
            }
        }
    }
}
