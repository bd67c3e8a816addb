import ReconcileCore

/// Lease-based leader election (`coordination.k8s.io/v1`), with client-go's defaults: 15 s
/// lease, 10 s renew deadline, 2 s retry. Only the leader runs controllers; on shutdown the lease
/// is released so a successor takes over at once instead of after the lease expires.
public struct LeaderElector: Sendable {
    public let client: APIClient
    public let namespace: String
    public let name: String
    public let identity: String
    public var leaseDurationSeconds: Double = 15
    public var renewDeadlineSeconds: Double = 10
    public var retryPeriodSeconds: Double = 2
    public var clock: @Sendable () -> WallTime = { WallTime.now() }

    public init(client: APIClient, namespace: String, name: String, identity: String) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
    }

    var key: ObjectKey { ObjectKey(Kinds.lease, namespace: namespace, name: name) }

    /// The lease spec to write to hold the lease at `now`, or nil when another holder's lease is
    /// still valid. Pure, so takeover rules are unit-tested.
    public static func nextSpec(observed: KubeObject?, identity: String, now: WallTime, leaseDurationSeconds: Double) -> Value? {
        let stamp = now.microTime
        let duration = Int64(leaseDurationSeconds.rounded())
        guard let lease = observed else {
            return ["holderIdentity": .string(identity), "leaseDurationSeconds": .int(duration), "acquireTime": .string(stamp),
                    "renewTime": .string(stamp), "leaseTransitions": 0]
        }
        var spec = lease.spec.objectValue ?? OrderedMap()
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        let transitions = spec["leaseTransitions"]?.intValue ?? 0
        if holder == identity {
            spec["renewTime"] = .string(stamp)
            spec["leaseDurationSeconds"] = .int(duration)
            return .object(spec)
        }
        if !holder.isEmpty {
            let heldFor = Double(spec["leaseDurationSeconds"]?.intValue ?? duration)
            let renewed = (spec["renewTime"]?.stringValue).flatMap { Timestamp(rfc3339: $0) }
            if let renewed, Double(renewed.secondsSinceEpoch) + heldFor > now.secondsSinceEpoch { return nil }
        }
        return ["holderIdentity": .string(identity), "leaseDurationSeconds": .int(duration), "acquireTime": .string(stamp),
                "renewTime": .string(stamp), "leaseTransitions": .int(transitions + 1)]
    }

    /// One attempt to acquire or renew; true when we hold the lease afterwards.
    public func tryAcquireOrRenew() async -> Bool {
        let observed: KubeObject?
        do { observed = try await client.get(key) } catch where error.isNotFound { observed = nil } catch { return false }
        guard let spec = Self.nextSpec(observed: observed, identity: identity, now: clock(), leaseDurationSeconds: leaseDurationSeconds) else { return false }
        var lease = observed ?? KubeObject(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: namespace, name: name)
        lease.spec = spec
        do {
            _ = observed == nil ? try await client.create(lease) : try await client.update(lease)
            return true
        } catch {
            return false
        }
    }

    /// Waits until this instance leads (or the task is cancelled).
    public func acquire() async -> Bool {
        while !Task.isCancelled {
            if await tryAcquireOrRenew() { return true }
            try? await Task.sleep(nanoseconds: UInt64(retryPeriodSeconds * 1e9))
        }
        return false
    }

    /// Renews every retry period; returns when a renewal could not succeed within the renew
    /// deadline (leadership lost: the caller must stop acting) or the task is cancelled.
    public func holdLeadership() async {
        var lastRenew = clock()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(retryPeriodSeconds * 1e9))
            if Task.isCancelled { return }
            if await tryAcquireOrRenew() {
                lastRenew = clock()
            } else if clock().seconds(since: lastRenew) >= renewDeadlineSeconds {
                return
            }
        }
    }

    /// Gives the lease up (client-go's ReleaseOnCancel): empty holder, 1 s duration.
    public func release() async {
        guard var lease = try? await client.get(key), lease.spec["holderIdentity"]?.stringValue == identity else { return }
        var spec = lease.spec.objectValue ?? OrderedMap()
        spec["holderIdentity"] = ""
        spec["leaseDurationSeconds"] = 1
        lease.spec = .object(spec)
        _ = try? await client.update(lease)
    }
}
