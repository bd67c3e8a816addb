/// The user-first merge of a user-supplied `podTemplateSpec` (a raw, preserve-unknown field) over an
/// operator's default pod template. Works on `Value` trees so unknown pod fields pass through
/// untouched. (Whether the template decodes at all is `K8sPodPatch.validate`.)
public enum PodTemplateMerge {

    /// Lays `user` over `defaults` (spec A §4.4.4): pod labels/annotations merged with the user
    /// winning; the user's serviceAccountName if set; containers and init containers matched by
    /// name (user container as the base, empty fields filled from the default, list fields user
    /// first then non-conflicting defaults); user-only containers in the user's order, default-only
    /// ones appended; volumes user first then defaults with free names; a non-empty user
    /// imagePullSecrets list replaces the default one. Any other user field wins.
    /// Call only with a `user` template that passed `K8sPodPatch.validate`. The user's quantities
    /// come out in stored form: Go merges the template decoded into a PodTemplateSpec.
    public static func userFirst(defaults: Value, user: Value) -> Value {
        overlay(defaults, with: PodQuantities.canonical(template: user), merging: [
            "metadata": { d, u in overlay(d ?? .null, with: u, merging: ["labels": mergeStringMaps, "annotations": mergeStringMaps]) },
            "spec": { d, u in mergePodSpec(defaults: d ?? .null, user: u) },
        ])
    }

    /// The user's fields laid over the defaults' (a non-null user value wins), except the keys in
    /// `special`, whose merge function gets (default value, user value) and returns the result.
    static func overlay(_ defaults: Value, with user: Value, merging special: [String: (Value?, Value) -> Value?]) -> Value {
        var out = defaults.objectValue ?? OrderedMap()
        for (key, uv) in user.objectValue ?? OrderedMap() {
            if let merge = special[key] {
                out[key] = merge(out[key], uv)
            } else if !uv.isNull {
                out[key] = uv
            }
        }
        return .object(out)
    }

    /// Labels and annotations: defaults plus user, the user winning on conflict.
    static func mergeStringMaps(_ defaults: Value?, _ user: Value) -> Value? {
        let merged = Labels.merge(defaults: defaults?.stringMapValue ?? [:], userWins: user.stringMapValue)
        return merged.isEmpty ? nil : .stringMap(merged)
    }

    static func mergePodSpec(defaults: Value, user: Value) -> Value {
        overlay(defaults, with: user, merging: [
            "serviceAccountName": { d, u in u.stringValue?.isEmpty == false ? u : d },
            "containers": { d, u in .array(mergeContainers(defaults: d?.arrayValue ?? [], user: u.arrayValue ?? [])) },
            "initContainers": { d, u in .array(mergeContainers(defaults: d?.arrayValue ?? [], user: u.arrayValue ?? [])) },
            "volumes": { d, u in .array(userFirstList(user: u.arrayValue ?? [], defaults: d?.arrayValue ?? [], sameAs: sameName)) },
            "imagePullSecrets": { d, u in u.arrayValue?.isEmpty == false ? u : d },
        ])
    }

    /// Fields of a container filled from the default when the user left them empty.
    static let fillIfEmpty = ["image", "command", "args", "workingDir", "livenessProbe", "readinessProbe", "startupProbe", "securityContext", "imagePullPolicy"]

    static func mergeContainers(defaults: [Value], user: [Value]) -> [Value] {
        var out: [Value] = []
        for uc in user {
            guard let d = defaults.first(where: { sameName($0, uc) }) else {
                out.append(uc)
                continue
            }
            out.append(mergeContainer(defaults: d, user: uc))
        }
        for d in defaults where !user.contains(where: { sameName($0, d) }) { out.append(d) }
        return out
    }

    static func mergeContainer(defaults: Value, user: Value) -> Value {
        var out = user.objectValue ?? OrderedMap()
        let d = defaults.objectValue ?? OrderedMap()
        for key in fillIfEmpty {
            if (out[key] ?? .null).isEmptyish || out[key]?.stringValue == "", let dv = d[key] { out[key] = dv }
        }
        let resources = out["resources"] ?? .null
        if (resources["requests"] ?? .null).isEmptyish && (resources["limits"] ?? .null).isEmptyish, let dv = d["resources"] {
            out["resources"] = dv
        }
        let lists: [(String, (Value, Value) -> Bool)] = [("ports", samePort), ("env", sameName), ("volumeMounts", sameName)]
        for (key, same) in lists {
            let merged = userFirstList(user: out[key]?.arrayValue ?? [], defaults: d[key]?.arrayValue ?? [], sameAs: same)
            out[key] = merged.isEmpty ? nil : .array(merged)
        }
        // Keep the default container's key order for fields the user did not set, so output reads
        // like the operator's template.
        var ordered = OrderedMap()
        for key in d.keys where out.contains(key) { ordered[key] = out[key] }
        for (key, v) in out where !ordered.contains(key) { ordered[key] = v }
        return .object(ordered)
    }

    /// User items first, then default items that do not conflict with any user item.
    static func userFirstList(user: [Value], defaults: [Value], sameAs: (Value, Value) -> Bool) -> [Value] {
        user + defaults.filter { d in !user.contains { sameAs($0, d) } }
    }

    static func sameName(_ a: Value, _ b: Value) -> Bool {
        guard let x = a["name"]?.stringValue else { return false }
        return x == b["name"]?.stringValue
    }

    /// Ports conflict by name or by number.
    static func samePort(_ a: Value, _ b: Value) -> Bool {
        if let x = a["name"]?.stringValue, !x.isEmpty, x == b["name"]?.stringValue { return true }
        if let x = a["containerPort"]?.intValue, x == b["containerPort"]?.intValue { return true }
        return false
    }
}
