/// The Deployment and StatefulSet controllers plus kubelet, as one rule per workload kind: every
/// workload gets `spec.replicas` (default 1) ready Pods carrying its pod template's labels, and
/// the workload status a healthy cluster would show. Pods are owned by the workload directly (no
/// ReplicaSets are simulated) and carry only what the operator reads from Pods: labels, the
/// containers' names and images, and a ready status.
public struct WorkloadControllerRule: WorldRule {
    public enum Workload: Sendable { case deployment, statefulSet }

    public let workload: Workload
    public init(_ workload: Workload) { self.workload = workload }

    /// Pods simulated per workload at most: `replicas: 2147483647` must not exhaust memory. A
    /// workload asking for more runs this many, and its status says so.
    public static let maxPods: Int64 = 100

    public var name: String {
        switch workload {
        case .deployment: return "deployment-controller"
        case .statefulSet: return "statefulset-controller"
        }
    }

    public var primaryKind: GroupKind { workload == .deployment ? Kinds.deployment : Kinds.statefulSet }

    public func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
        var out: [WorldChange] = []
        if key.groupKind == primaryKind, let w = snapshot.get(key), !w.isBeingDeleted, !w.uid.isEmpty {
            let replicas = Int(min(max(0, w.spec["replicas"]?.intValue ?? 1), Self.maxPods))
            let template = w.spec["template"] ?? .null
            let revision = Self.templateHash(template)
            let wanted = (0..<replicas).map { podName(w, revision: revision, ordinal: $0) }
            let owned = snapshot.owned(by: w.uid).filter { $0.groupKind == Kinds.pod }
            var present = Set<String>()
            for pod in owned {
                if wanted.contains(pod.name) && pod.labels[revisionLabel] == revisionValue(w, revision) && !pod.isBeingDeleted {
                    present.insert(pod.name)
                } else if !pod.isBeingDeleted {
                    out.append(.delete(pod.key))
                }
            }
            for (ordinal, podName) in wanted.enumerated() where !present.contains(podName) {
                out.append(.upsert(readyPod(podName, ordinal: ordinal, of: w, template: template, revision: revision, now: env.now)))
            }
            let status = workloadStatus(w, replicas: replicas, revision: revision, now: env.now)
            if status != w.status { out.append(.setStatus(w.key, status)) }
        }
        return out
    }

    /// A workload reads itself and the Pods it owns (by uid).
    public func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? {
        switch key.groupKind {
        case primaryKind: return [key]
        case Kinds.pod: return object.ownerReferences.compactMap { model.key(ofUID: $0.uid) }.filter { $0.groupKind == primaryKind }
        default: return []
        }
    }

    private var revisionLabel: String { workload == .deployment ? "pod-template-hash" : "controller-revision-hash" }

    private func revisionValue(_ w: KubeObject, _ revision: String) -> String {
        workload == .deployment ? revision : "\(w.name)-\(revision)"
    }

    private func podName(_ w: KubeObject, revision: String, ordinal: Int) -> String {
        workload == .deployment ? "\(w.name)-\(revision)-\(ordinal)" : "\(w.name)-\(ordinal)"
    }

    /// Ten hex digits naming the pod template, like the Deployment controller's pod-template-hash.
    static func templateHash(_ template: Value) -> String {
        let hex = String(ObjectFingerprint.of(value: template), radix: 16)
        return String((String(repeating: "0", count: max(0, 10 - hex.count)) + hex).suffix(10))
    }

    private func readyPod(_ podName: String, ordinal: Int, of w: KubeObject, template: Value, revision: String, now: Timestamp) -> KubeObject {
        var pod = KubeObject(apiVersion: "v1", kind: "Pod", namespace: w.namespace, name: podName)
        var labels = template[path: "metadata.labels"]?.stringMapValue ?? [:]
        labels[revisionLabel] = revisionValue(w, revision)
        if workload == .statefulSet { labels["statefulset.kubernetes.io/pod-name"] = podName }
        pod.labels = labels
        let annotations = template[path: "metadata.annotations"]?.stringMapValue ?? [:]
        if !annotations.isEmpty { pod.annotations = annotations }
        pod.ownerReferences = [OwnerReference(controllerOf: w)]
        let containers = (template[path: "spec.containers"]?.arrayValue ?? []).map { c -> Value in
            var m = OrderedMap()
            m["name"] = c["name"] ?? .string("main")
            if let image = c["image"] { m["image"] = image }
            return .object(m)
        }
        var spec = OrderedMap()
        if let sa = template[path: "spec.serviceAccountName"] { spec["serviceAccountName"] = sa }
        spec["containers"] = .array(containers)
        pod.spec = .object(spec)
        pod.status = Self.readyPodStatus(containers: containers, now: now)
        return pod
    }

    /// What kubelet reports for a pod whose containers all started and passed readiness.
    static func readyPodStatus(containers: [Value], now: Timestamp) -> Value {
        var conditions = ConditionList()
        for type in ["PodScheduled", "Initialized", "ContainersReady", "Ready"] {
            conditions.set(type, .true, reason: "", message: "", now: now)
        }
        var status = OrderedMap()
        status["phase"] = "Running"
        status["conditions"] = .array(conditions.items.map { c in
            ["type": .string(c.type), "status": "True", "lastTransitionTime": .string(c.lastTransitionTime)]
        })
        status["containerStatuses"] = .array(containers.map { c in
            var m = OrderedMap()
            m["name"] = c["name"] ?? .string("main")
            if let image = c["image"] { m["image"] = image }
            m["ready"] = true
            m["started"] = true
            m["restartCount"] = 0
            m["state"] = ["running": ["startedAt": .string(now.rfc3339)]]
            return .object(m)
        })
        status["startTime"] = .string(now.rfc3339)
        return .object(status)
    }

    /// The status the workload controller writes once its pods are ready. Zero counts are left
    /// out, as the API server omits them.
    private func workloadStatus(_ w: KubeObject, replicas: Int, revision: String, now: Timestamp) -> Value {
        var s = OrderedMap()
        s["observedGeneration"] = .int(w.generation)
        let n = Value.int(Int64(replicas))
        if replicas > 0 {
            s["replicas"] = n
            s["readyReplicas"] = n
            s["availableReplicas"] = n
            s["updatedReplicas"] = n
            if workload == .statefulSet { s["currentReplicas"] = n }
        }
        if workload == .statefulSet {
            s["currentRevision"] = .string(revisionValue(w, revision))
            s["updateRevision"] = .string(revisionValue(w, revision))
            return .object(s)
        }
        var conditions = ConditionList(status: w.status)
        conditions.set("Available", .true, reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now)
        conditions.set("Progressing", .true, reason: "NewReplicaSetAvailable", message: "ReplicaSet \"\(w.name)-\(revision)\" has successfully progressed.", now: now)
        s["conditions"] = conditions.value
        return .object(s)
    }
}

/// The Service controller and the cloud load balancer: a Service without a cluster IP gets one
/// (headless Services, `clusterIP: None`, keep theirs), and a `LoadBalancer` Service gets an
/// ingress address. Addresses are derived from the Service's identity, so they are stable.
public struct ServiceControllerRule: WorldRule {
    public init() {}
    public var name: String { "service-controller" }
    public var primaryKind: GroupKind { Kinds.service }

    /// A Service's address depends on the Service alone.
    public func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? {
        key.groupKind == Kinds.service ? [key] : []
    }

    public func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
        var out: [WorldChange] = []
        if key.groupKind == Kinds.service, let svc = snapshot.get(key), !svc.isBeingDeleted {
            // Only a Service that still needs an address pays for hashing its identity.
            var identityHash: UInt64 { ObjectFingerprint.of(KubeObject(apiVersion: "v1", kind: "Service", namespace: svc.namespace, name: svc.name)) }
            if (svc.spec["clusterIP"]?.stringValue ?? "").isEmpty {
                let h = identityHash
                let ip = "10.96.\(h >> 8 & 0xFF).\(h & 0xFF == 0 ? 1 : h & 0xFF)"
                var patch = KubeObject(apiVersion: svc.apiVersion, kind: svc.kind, namespace: svc.namespace, name: svc.name)
                patch.spec = ["clusterIP": .string(ip), "clusterIPs": [.string(ip)]]
                out.append(.upsert(patch))
            }
            if svc.spec["type"]?.stringValue == "LoadBalancer" && svc.status[path: "loadBalancer.ingress"] == nil {
                let h = identityHash
                var status = svc.status.objectValue ?? OrderedMap()
                // 203.0.113.0/24 is TEST-NET-3: never a real address.
                status["loadBalancer"] = ["ingress": [["ip": .string("203.0.113.\(h >> 16 & 0xFF == 0 ? 1 : h >> 16 & 0xFF)")]]]
                out.append(.setStatus(svc.key, .object(status)))
            }
        }
        return out
    }
}
