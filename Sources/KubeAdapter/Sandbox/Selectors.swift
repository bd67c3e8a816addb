import ReconcileCore

/// Label and field selectors as list and watch requests give them (`a=b,c!=d,e,!f,g in (x,y)`).
public struct LabelSelector: Sendable, Equatable {
    public enum Requirement: Sendable, Equatable {
        case equals(String, String), notEquals(String, String), exists(String), notExists(String)
        case isIn(String, [String]), notIn(String, [String])
    }
    public var requirements: [Requirement]

    /// Parses a selector; an unreadable one is an error message (answered with 400).
    public static func parse(_ text: String) -> Result<LabelSelector, SelectorError> {
        var reqs: [Requirement] = []
        for term in splitTerms(text) {
            let t = term.trimmingSpaces
            if t.isEmpty { continue }
            if let r = parseSet(t, keyword: " notin ") { reqs.append(.notIn(r.0, r.1)); continue }
            if let r = parseSet(t, keyword: " in ") { reqs.append(.isIn(r.0, r.1)); continue }
            if let r = t.firstRange(of: "!=") {
                reqs.append(.notEquals(String(t[..<r.lowerBound]).trimmingSpaces, String(t[r.upperBound...]).trimmingSpaces))
            } else if let r = t.firstRange(of: "==") ?? t.firstRange(of: "=") {
                reqs.append(.equals(String(t[..<r.lowerBound]).trimmingSpaces, String(t[r.upperBound...]).trimmingSpaces))
            } else if t.hasPrefix("!") {
                reqs.append(.notExists(String(t.dropFirst()).trimmingSpaces))
            } else if t.contains(" ") || t.contains("(") {
                return .failure(SelectorError(message: "unable to parse requirement: \(t)"))
            } else {
                reqs.append(.exists(t))
            }
        }
        return .success(LabelSelector(requirements: reqs))
    }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .exists(let k): return labels[k] != nil
            case .notExists(let k): return labels[k] == nil
            case .isIn(let k, let vs): return labels[k].map(vs.contains) ?? false
            case .notIn(let k, let vs): return !(labels[k].map(vs.contains) ?? false)
            }
        }
    }

    /// Splits on commas outside parentheses.
    static func splitTerms(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var depth = 0
        for c in s {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == "," && depth == 0 { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    static func parseSet(_ t: String, keyword: String) -> (String, [String])? {
        guard let r = t.firstRange(of: keyword), t.hasSuffix(")") else { return nil }
        let rest = String(t[r.upperBound...]).trimmingSpaces
        guard rest.hasPrefix("(") else { return nil }
        let inner = rest.dropFirst().dropLast()
        return (String(t[..<r.lowerBound]).trimmingSpaces, inner.split(separator: ",").map { String($0).trimmingSpaces })
    }
}

/// `fieldSelector`: the sandbox supports what clients use, `metadata.name` and `metadata.namespace`.
public struct FieldSelector: Sendable, Equatable {
    public var requirements: [(field: String, value: String, equal: Bool)]

    public static func == (a: FieldSelector, b: FieldSelector) -> Bool {
        a.requirements.elementsEqual(b.requirements) { $0.field == $1.field && $0.value == $1.value && $0.equal == $1.equal }
    }

    public static func parse(_ text: String) -> Result<FieldSelector, SelectorError> {
        var reqs: [(String, String, Bool)] = []
        for term in text.split(separator: ",") {
            let t = String(term).trimmingSpaces
            let (sep, equal): (String, Bool) = t.contains("!=") ? ("!=", false) : (t.contains("==") ? "==" : "=", true)
            guard let r = t.firstRange(of: sep) else { return .failure(SelectorError(message: "invalid field selector: \(t)")) }
            let field = String(t[..<r.lowerBound]).trimmingSpaces
            guard field == "metadata.name" || field == "metadata.namespace" else {
                return .failure(SelectorError(message: "field label not supported: \(field)"))
            }
            reqs.append((field, String(t[r.upperBound...]).trimmingSpaces, equal))
        }
        return .success(FieldSelector(requirements: reqs))
    }

    public func matches(_ o: KubeObject) -> Bool {
        requirements.allSatisfy { r in
            let actual = r.field == "metadata.name" ? o.name : o.namespace
            return (actual == r.value) == r.equal
        }
    }
}

public struct SelectorError: Error, Sendable, Equatable {
    public var message: String
}
