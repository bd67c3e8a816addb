/// Collects the actions of one reconcile and decides, in one place for every controller, whether a
/// write is needed: an owned object is applied only when the observed one does not already hold
/// every desired field; a status is patched only when it differs. That is what makes a reconcile of
/// an object already in step with the cluster produce an empty action list.
public struct PlanBuilder: Sendable {
    public let snapshot: Snapshot
    public let primary: KubeObject
    public let controller: String
    public private(set) var actions: [Action] = []
    public private(set) var events: [Event] = []
    public var requeueAfterSeconds: Double?

    public init(controller: String, primary: KubeObject, snapshot: Snapshot) {
        self.controller = controller
        self.primary = primary
        self.snapshot = snapshot
    }

    /// Applies `desired` unless the observed object already holds all of it. `why` says what the
    /// object is for; the explanation adds which fields differ.
    public mutating func ensure(_ desired: KubeObject, why: String) {
        guard snapshot.contains(desired.key) else { return applyAbsent(desired, why: why) }
        // Asked of the stored bytes first: an object already in step is never decoded.
        let wanted = Self.applied(desired)
        if snapshot.holds(wanted, at: desired.key) { return }
        guard let observed = snapshot.get(desired.key) else { return applyAbsent(desired, why: why) }
        applyDifferent(desired, wanted: wanted, observed: observed, why: why)
    }

    /// `ensure(_:why:)` given the observed object the caller has already read from this snapshot
    /// (nil: absent), so a packed object is not decoded a second time.
    public mutating func ensure(_ desired: KubeObject, observed: KubeObject?, why: String) {
        guard let observed else { return applyAbsent(desired, why: why) }
        let wanted = Self.applied(desired)
        if wanted.isSubset(of: observed.value) { return }
        applyDifferent(desired, wanted: wanted, observed: observed, why: why)
    }

    private mutating func applyAbsent(_ desired: KubeObject, why: String) {
        actions.append(.apply(desired, reasons: ["\(desired.kind) \(desired.name) does not exist: \(why)"]))
    }

    /// `wanted` (`applied(desired)`) is known not to be held by `observed`.
    private mutating func applyDifferent(_ desired: KubeObject, wanted: Value, observed: KubeObject, why: String) {
        var reasons = ["\(desired.kind) \(desired.name) differs from desired: \(why)"]
        reasons += Diff.differences(desired: wanted, observed: observed.value).map { "changed " + $0 }
        actions.append(.apply(desired, reasons: reasons))
    }

    /// What an apply of `desired` asks for: status is never part of one (identity fields always match).
    static func applied(_ desired: KubeObject) -> Value {
        var wanted = desired.value
        wanted.remove(path: ["status"])
        return wanted
    }

    /// Deletes an object if it exists.
    public mutating func ensureAbsent(_ target: ObjectReference, why: String) {
        guard snapshot.contains(target.key) else { return }
        actions.append(.delete(target, reasons: [why]))
    }

    /// Deletes an object whether or not it is in the snapshot (deletion paths where NotFound is ignored).
    public mutating func delete(_ target: ObjectReference, why: String) {
        actions.append(.delete(target, reasons: [why]))
    }

    /// Writes `status` onto the primary unless it already has exactly that status.
    public mutating func setStatus(_ status: Value, why: [String] = []) {
        setStatus(of: primary, status, why: why)
    }

    /// Writes `status` onto any object (the group controller marks its members on deletion).
    public mutating func setStatus(of object: KubeObject, _ status: Value, why: [String] = []) {
        let observed = object.status
        if status == observed || (status.isEmptyish && observed.isEmptyish) { return }
        var reasons = why
        reasons += Diff.differences(desired: status, observed: observed, path: "status").map { "changed " + $0 }
        actions.append(.patchStatus(object.reference, status, reasons: reasons))
    }

    public mutating func addFinalizer(_ finalizer: String, why: String) {
        guard !primary.finalizers.contains(finalizer) else { return }
        actions.append(.addFinalizer(primary.reference, finalizer, reasons: [why]))
    }

    public mutating func removeFinalizer(_ finalizer: String, why: String) {
        guard primary.finalizers.contains(finalizer) else { return }
        actions.append(.removeFinalizer(primary.reference, finalizer, reasons: [why]))
    }

    public mutating func record(_ event: Event) { events.append(event) }

    /// Keeps the shortest requested delay.
    public mutating func requeue(after seconds: Double) {
        requeueAfterSeconds = min(requeueAfterSeconds ?? seconds, seconds)
    }

    public var result: ReconcileResult {
        ReconcileResult(controller: controller, object: primary.reference, actions: actions, requeueAfterSeconds: requeueAfterSeconds, events: events)
    }
}
