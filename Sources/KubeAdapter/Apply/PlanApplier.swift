import ReconcileCore

/// Carries out one reconcile's actions, in order, against the API server:
/// - `apply`: server-side apply (`application/apply-patch+yaml`, field manager, force);
/// - `patchStatus`: a JSON merge patch on `/status` from the observed status to the new one,
///   with the observed resourceVersion as precondition (a stale decision is refused, not merged);
/// - finalizers: a JSON merge patch of the whole list with a resourceVersion precondition;
/// - `delete`: background propagation, an already-missing object is fine;
/// - events: `events.k8s.io/v1`, best effort (like client-go's recorder).
/// A conflict stops the plan, re-reads the object and reports it: the manager refreshes its
/// cache and requeues, so the next decision is made on fresh state. An empty plan sends nothing.
public struct PlanApplier: Sendable {
    public let client: APIClient
    public var fieldManager: String
    /// `reportingInstance` of events (the pod name).
    public var instance: String
    public var clock: @Sendable () -> WallTime

    public init(client: APIClient, fieldManager: String = KubeAdapter.fieldManager, instance: String = "local",
                clock: @escaping @Sendable () -> WallTime = { WallTime.now() }) {
        self.client = client
        self.fieldManager = fieldManager
        self.instance = instance
        self.clock = clock
    }

    public enum Outcome: Sendable, Equatable {
        /// Every action done; the objects the server returned (for the cache).
        case applied(written: [KubeObject], eventErrors: [String])
        /// A write hit a resourceVersion conflict; `current` is the object re-read (nil: gone).
        case conflict(ObjectKey, current: KubeObject?, written: [KubeObject])
        case failed(String, written: [KubeObject])
    }

    public func apply(_ result: ReconcileResult, observed: Snapshot) async -> Outcome {
        var written: [KubeObject] = []
        var latest: [ObjectKey: KubeObject] = [:]
        func current(_ key: ObjectKey) -> KubeObject? { latest[key] ?? observed.get(key) }

        for action in result.actions {
            let key = action.target.key
            do throws(APIError) {
                switch action.operation {
                case .apply(let object):
                    let o = try await client.apply(object, fieldManager: fieldManager)
                    written.append(o)
                    latest[o.key] = o
                case .delete:
                    do { try await client.delete(key) } catch where error.isNotFound {} catch { throw error }
                case .patchStatus(_, let status):
                    let before = current(key)
                    var patch: Value = ["status": JSONMergePatch.diff(from: before?.status ?? .null, to: status)]
                    if let rv = before?.resourceVersion, !rv.isEmpty { patch.set(path: ["metadata", "resourceVersion"], to: .string(rv)) }
                    let o = try await client.mergePatch(key, patch, status: true)
                    written.append(o)
                    latest[key] = o
                case .addFinalizer(_, let f), .removeFinalizer(_, let f):
                    guard let before = current(key) else { throw APIError.status(code: 404, reason: "NotFound", message: "\(key) is not in the cache") }
                    var list = before.finalizers
                    if case .addFinalizer = action.operation {
                        if list.contains(f) { continue }
                        list.append(f)
                    } else {
                        if !list.contains(f) { continue }
                        list.removeAll { $0 == f }
                    }
                    let patch: Value = ["metadata": ["resourceVersion": .string(before.resourceVersion), "finalizers": list.isEmpty ? .null : .strings(list)]]
                    let o = try await client.mergePatch(key, patch, status: false)
                    written.append(o)
                    latest[key] = o
                }
            } catch {
                if error.isConflict {
                    let reread = try? await client.get(key)
                    return .conflict(key, current: reread, written: written)
                }
                return .failed("\(action.op) \(key): \(error)", written: written)
            }
        }

        var eventErrors: [String] = []
        for (i, e) in result.events.enumerated() {
            let regarding = current(result.object.key)
            do {
                _ = try await client.create(event(e, about: result.object, uid: regarding?.uid ?? "", sequence: i))
            } catch {
                eventErrors.append("event \(e.reason) on \(result.object.key): \(error)")
            }
        }
        return .applied(written: written, eventErrors: eventErrors)
    }

    /// An `events.k8s.io/v1` Event about the primary, named like client-go names them.
    func event(_ e: ReconcileCore.Event, about ref: ObjectReference, uid: String, sequence: Int) -> KubeObject {
        let now = clock()
        let nanos = UInt64(max(0, now.seconds)) &* 1_000_000_000 &+ UInt64(now.nanoseconds) &+ UInt64(sequence)
        var o = KubeObject(apiVersion: "events.k8s.io/v1", kind: "Event", namespace: ref.namespace.isEmpty ? "default" : ref.namespace,
                           name: "\(ref.name).\(String(nanos, radix: 16))")
        o.root["eventTime"] = .string(now.microTime)
        o.root["reportingController"] = .string(fieldManager)
        o.root["reportingInstance"] = .string(instance)
        o.root["action"] = .string(e.reason)
        o.root["reason"] = .string(e.reason)
        o.root["note"] = .string(String(e.message.prefix(1024)))
        o.root["type"] = .string(e.type.rawValue)
        var regarding = ref.value
        if !uid.isEmpty { regarding.set(path: ["uid"], to: .string(uid)) }
        o.root["regarding"] = regarding
        return o
    }
}
