/// A `metav1.Condition`, and the one helper every reconciler uses to change a condition list.
public struct Condition: Sendable, Hashable {
    public var type: String
    public var status: ConditionStatus
    public var reason: String
    public var message: String
    /// 0 means "not set" (the VirtualMCPServer controller writes conditions without it).
    public var observedGeneration: Int64
    public var lastTransitionTime: String

    public init(type: String, status: ConditionStatus, reason: String, message: String, observedGeneration: Int64 = 0, lastTransitionTime: String = "") {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }

    public init?(value: Value) {
        guard let type = value["type"]?.stringValue else { return nil }
        self.type = type
        status = ConditionStatus(rawValue: value["status"]?.stringValue ?? "") ?? .unknown
        reason = value["reason"]?.stringValue ?? ""
        message = value["message"]?.stringValue ?? ""
        observedGeneration = value["observedGeneration"]?.intValue ?? 0
        lastTransitionTime = value["lastTransitionTime"]?.stringValue ?? ""
    }

    /// Field order as the API server prints conditions.
    public var value: Value {
        var m = OrderedMap()
        m.reserveCapacity(6)
        m["type"] = .string(type)
        m["status"] = .string(status.rawValue)
        if observedGeneration != 0 { m["observedGeneration"] = .int(observedGeneration) }
        m["lastTransitionTime"] = .string(lastTransitionTime)
        m["reason"] = .string(reason)
        m["message"] = .string(message)
        return .object(m)
    }
}

public enum ConditionStatus: String, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

/// A condition list with `meta.SetStatusCondition` semantics: keyed by type; reason, message and
/// observedGeneration overwritten on every set; `lastTransitionTime` changes only when the status
/// flips (a new condition gets `now`). Because of that rule a pass that finds nothing new produces
/// exactly the list it read, and no status write follows.
public struct ConditionList: Sendable, Hashable {
    public private(set) var items: [Condition]

    public init(_ items: [Condition] = []) { self.items = items }
    public init(status: Value) {
        items = (status["conditions"]?.arrayValue ?? []).compactMap(Condition.init(value:))
    }

    public subscript(type: String) -> Condition? { items.first { $0.type == type } }

    public mutating func set(_ type: String, _ status: ConditionStatus, reason: String, message: String, observedGeneration: Int64 = 0, now: Timestamp) {
        if let i = items.firstIndex(where: { $0.type == type }) {
            var c = items[i]
            if c.status != status {
                c.status = status
                c.lastTransitionTime = now.rfc3339
            }
            c.reason = reason
            c.message = message
            c.observedGeneration = observedGeneration
            items[i] = c
        } else {
            items.append(Condition(type: type, status: status, reason: reason, message: message, observedGeneration: observedGeneration, lastTransitionTime: now.rfc3339))
        }
    }

    public mutating func remove(_ type: String) {
        items.removeAll { $0.type == type }
    }

    /// Removes every condition whose type starts with `prefix` and is not in `keep`.
    public mutating func removeAll(prefix: String, except keep: Set<String>) {
        items.removeAll { $0.type.hasPrefix(prefix) && !keep.contains($0.type) }
    }

    public var value: Value { .array(items.map(\.value)) }
}
