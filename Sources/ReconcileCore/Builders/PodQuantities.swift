/// The resource quantities of a pod spec, read as Go reads them when the spec is decoded into a
/// `corev1.PodSpec`. The Go operator decodes every user `podTemplateSpec` that way (the MCPServer
/// `--k8s-pod-patch`, the vMCP strategic merge, the registry merge), and the API server decodes
/// every pod template it stores: either way a quantity comes out in `Quantity`'s stored form, and
/// one that does not parse fails the whole decode.
///
/// Fields covered: `resources.limits` and `resources.requests` of every container, init container
/// and ephemeral container; the pod-level `resources`; `overhead`; `emptyDir.sizeLimit` of each
/// volume. Left out: the storage requests inside `ephemeral.volumeClaimTemplate` volumes.
public enum PodQuantities {
    /// A quantity that does not parse, where it is (`spec.containers[0].resources.limits.cpu`)
    /// and Go's error for it.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var error: QuantityError
        public var description: String { "\(path): \(error)" }
    }

    /// The first quantity of `podSpec` that would not decode, or nil. `prefix` names the spec in
    /// the path (`spec` for a pod template, `spec.template.spec` for a Deployment).
    public static func firstProblem(podSpec: Value, prefix: String = "spec") -> Problem? {
        decode(podSpec, prefix: prefix).problem
    }

    /// `podSpec` with every quantity in its stored form; one that does not parse is kept as
    /// written (callers check `firstProblem` first when it matters).
    public static func canonical(podSpec: Value) -> Value {
        decode(podSpec, prefix: "spec").spec
    }

    /// Both in one walk: the spec in stored form and the first quantity that does not parse.
    public static func decode(_ podSpec: Value, prefix: String) -> (spec: Value, problem: Problem?) {
        var problem: Problem?
        let spec = map(podSpec, prefix: prefix) { path, v in
            do throws(QuantityError) {
                return .string(try Quantity(json: v).description)
            } catch {
                if problem == nil { problem = Problem(path: path, error: error) }
                return v
            }
        }
        return (spec, problem)
    }

    /// A pod template (`metadata` + `spec`) with its spec's quantities in stored form.
    public static func canonical(template: Value) -> Value {
        guard var t = template.objectValue, let spec = t["spec"], spec.objectValue != nil else { return template }
        t["spec"] = canonical(podSpec: spec)
        return .object(t)
    }

    /// Calls `f` on each quantity (with its path) and puts back what it returns; maps and lists
    /// no quantity changed in are left as they were.
    static func map(_ podSpec: Value, prefix: String, _ f: (String, Value) -> Value) -> Value {
        guard let original = podSpec.objectValue else { return podSpec }
        var spec = original
        for key in ["containers", "initContainers", "ephemeralContainers"] {
            guard var list = spec[key]?.arrayValue else { continue }
            var changed = false
            for i in list.indices {
                guard var c = list[i].objectValue, let r = c["resources"] else { continue }
                let mapped = mapRequirements(r, path: "\(prefix).\(key)[\(i)].resources", f)
                if mapped != r {
                    c["resources"] = mapped
                    list[i] = .object(c)
                    changed = true
                }
            }
            if changed { spec[key] = .array(list) }
        }
        if let r = spec["resources"] {
            let mapped = mapRequirements(r, path: "\(prefix).resources", f)
            if mapped != r { spec["resources"] = mapped }
        }
        if let o = spec["overhead"] {
            let mapped = mapList(o, path: "\(prefix).overhead", f)
            if mapped != o { spec["overhead"] = mapped }
        }
        if var volumes = spec["volumes"]?.arrayValue {
            var changed = false
            for i in volumes.indices {
                guard let limit = volumes[i][path: "emptyDir.sizeLimit"] else { continue }
                let mapped = f("\(prefix).volumes[\(i)].emptyDir.sizeLimit", limit)
                if mapped != limit {
                    volumes[i].set(path: ["emptyDir", "sizeLimit"], to: mapped)
                    changed = true
                }
            }
            if changed { spec["volumes"] = .array(volumes) }
        }
        return spec == original ? podSpec : .object(spec)
    }

    /// A `ResourceRequirements`: its `limits` and `requests` lists.
    static func mapRequirements(_ r: Value, path: String, _ f: (String, Value) -> Value) -> Value {
        guard var m = r.objectValue else { return r }
        var changed = false
        for key in ["limits", "requests"] {
            guard let list = m[key] else { continue }
            let mapped = mapList(list, path: "\(path).\(key)", f)
            if mapped != list {
                m[key] = mapped
                changed = true
            }
        }
        return changed ? .object(m) : r
    }

    /// A `ResourceList`: resource name → quantity.
    static func mapList(_ list: Value, path: String, _ f: (String, Value) -> Value) -> Value {
        guard let original = list.objectValue else { return list }
        var m = original
        var changed = false
        for (name, q) in original {
            let mapped = f("\(path).\(name)", q)
            if mapped != q {
                m[name] = mapped
                changed = true
            }
        }
        return changed ? .object(m) : list
    }
}
