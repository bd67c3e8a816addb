/// The user's `spec.podTemplateSpec` applied to the generated pod template as a strategic merge
/// patch (spec §3.4): maps merge recursively, lists the Kubernetes API merges by key (containers
/// and volumes by name, ports by containerPort, ...) merge entry by entry, other lists are
/// replaced. The user's value wins for every field it sets.
public enum PodTemplatePatch {
    /// List fields of a pod template that merge by a key, and that key.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name", "volumes": "name",
        "volumeMounts": "mountPath", "ports": "containerPort", "imagePullSecrets": "name", "tolerations": "key",
        "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
    ]

    public static func apply(_ patch: Value, to base: Value) -> Value {
        guard let p = patch.objectValue, var b = base.objectValue else { return patch.isNull ? base : patch }
        for (k, pv) in p {
            if pv.isNull { b[k] = nil; continue }
            if let key = mergeKeys[k], let pl = pv.arrayValue, let bl = b[k]?.arrayValue {
                b[k] = .array(mergeList(bl, pl, key: key))
            } else if let bv = b[k], bv.objectValue != nil, pv.objectValue != nil {
                b[k] = apply(pv, to: bv)
            } else {
                b[k] = pv
            }
        }
        return .object(b)
    }

    static func mergeList(_ base: [Value], _ patch: [Value], key: String) -> [Value] {
        var out = base
        for item in patch {
            guard let id = item[key], !id.isNull else { out.append(item); continue }
            if let i = out.firstIndex(where: { $0[key] == id }) {
                out[i] = apply(item, to: out[i])
            } else {
                out.append(item)
            }
        }
        return out
    }

    /// Why the value would not decode as a core PodTemplateSpec, or nil: the shape checks the
    /// Go operator's unmarshal makes (maps where maps go, lists where lists go, named containers).
    public static func problem(_ pts: Value) -> String? {
        guard pts.objectValue != nil else { return "expected an object, got \(pts.typeName)" }
        if let m = pts["metadata"], !m.isNull {
            guard m.objectValue != nil else { return "metadata: expected an object" }
            for f in ["labels", "annotations"] {
                if let v = m[f], !v.isNull {
                    guard let o = v.objectValue, o.allSatisfy({ $0.value.stringValue != nil }) else { return "metadata.\(f): expected a map of strings" }
                }
            }
        }
        guard let spec = pts["spec"], !spec.isNull else { return nil }
        guard spec.objectValue != nil else { return "spec: expected an object, got \(spec.typeName)" }
        for listField in ["containers", "initContainers", "volumes", "imagePullSecrets", "tolerations"] {
            guard let l = spec[listField], !l.isNull else { continue }
            guard let items = l.arrayValue else { return "spec.\(listField): expected a list, got \(l.typeName)" }
            for (i, item) in items.enumerated() {
                guard item.objectValue != nil else { return "spec.\(listField)[\(i)]: expected an object" }
                if ["containers", "initContainers"].contains(listField) {
                    if let n = item["name"], n.stringValue == nil { return "spec.\(listField)[\(i)].name: expected a string" }
                    for sub in ["env", "ports", "volumeMounts", "args", "command"] {
                        if let v = item[sub], !v.isNull, v.arrayValue == nil { return "spec.\(listField)[\(i)].\(sub): expected a list" }
                    }
                    if let r = item["resources"], !r.isNull, r.objectValue == nil { return "spec.\(listField)[\(i)].resources: expected an object" }
                }
            }
        }
        for mapField in ["nodeSelector", "affinity", "securityContext"] {
            if let v = spec[mapField], !v.isNull, v.objectValue == nil { return "spec.\(mapField): expected an object, got \(v.typeName)" }
        }
        return PodQuantities.firstProblem(podSpec: spec)?.description
    }
}
