/// The `--k8s-pod-patch` argument of the proxy runner (spec A §2.4.3): the user's
/// `podTemplateSpec`, plus the MCP server pod's service account and the secret env vars on the
/// `mcp` container. The runner applies it to its StatefulSet's pod template.
public enum K8sPodPatch {
    /// The container the secrets go to (`mcp`; the vMCP controller uses `vmcp`).
    public static let mcpContainer = "mcp"

    /// A `podTemplateSpec` that does not decode as a PodTemplateSpec, with the message the Go
    /// decoder would give (`json: cannot unmarshal string into Go struct field ...`).
    public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { "failed to unmarshal PodTemplateSpec: \(message)" }
    }

    /// Checks the fields the operator and runner read, with the Go field names and types for messages.
    public static func validate(_ template: Value) throws(DecodeError) {
        try expect(template, .object, "", "v1.PodTemplateSpec", topLevel: true)
        if let meta = template["metadata"] {
            try expect(meta, .object, "PodTemplateSpec.metadata", "v1.ObjectMeta")
            for key in ["labels", "annotations"] {
                if let m = meta[key] { try expectStringMap(m, "ObjectMeta.metadata.\(key)") }
            }
        }
        guard let spec = template["spec"] else { return }
        try expect(spec, .object, "PodTemplateSpec.spec", "v1.PodSpec")
        for key in ["containers", "initContainers"] {
            guard let list = spec[key] else { continue }
            try expect(list, .array, "PodSpec.spec.\(key)", "[]v1.Container")
            for c in list.arrayValue ?? [] {
                try expect(c, .object, "PodSpec.spec.\(key)", "v1.Container")
                let f = "Container.spec.\(key)"
                for s in ["name", "image", "imagePullPolicy", "workingDir"] {
                    if let v = c[s] { try expect(v, .string, "\(f).\(s)", "string") }
                }
                for s in ["args", "command"] {
                    if let v = c[s] { try expectStringList(v, "\(f).\(s)") }
                }
                if let env = c["env"] {
                    try expect(env, .array, "\(f).env", "[]v1.EnvVar")
                    for e in env.arrayValue ?? [] {
                        try expect(e, .object, "\(f).env", "v1.EnvVar")
                        for s in ["name", "value"] {
                            if let v = e[s] { try expect(v, .string, "EnvVar.spec.\(key).env.\(s)", "string") }
                        }
                    }
                }
                for (s, t) in [("resources", "v1.ResourceRequirements"), ("securityContext", "v1.SecurityContext")] {
                    if let v = c[s] { try expect(v, .object, "\(f).\(s)", t) }
                }
                for (s, t) in [("ports", "[]v1.ContainerPort"), ("volumeMounts", "[]v1.VolumeMount")] {
                    if let v = c[s] { try expect(v, .array, "\(f).\(s)", t) }
                }
            }
        }
        for (s, t) in [("tolerations", "[]v1.Toleration"), ("volumes", "[]v1.Volume"), ("imagePullSecrets", "[]v1.LocalObjectReference")] {
            if let v = spec[s] { try expect(v, .array, "PodSpec.spec.\(s)", t) }
        }
        for (s, t) in [("securityContext", "v1.PodSecurityContext"), ("affinity", "v1.Affinity")] {
            if let v = spec[s] { try expect(v, .object, "PodSpec.spec.\(s)", t) }
        }
        for s in ["serviceAccountName", "priorityClassName"] {
            if let v = spec[s] { try expect(v, .string, "PodSpec.spec.\(s)", "string") }
        }
        if let ns = spec["nodeSelector"] { try expectStringMap(ns, "PodSpec.spec.nodeSelector") }
        // Go's decoder stops at a quantity `resource.Quantity` refuses and returns its error as is.
        if let problem = PodQuantities.firstProblem(podSpec: spec) { throw DecodeError(message: problem.error.description) }
    }

    /// The patch tree, or nil when it would carry nothing (then the argument is left out).
    /// `template` must have passed `validate`. Its quantities come out in stored form, as Go's
    /// decode into a PodTemplateSpec and re-encode give them.
    public static func build(template: Value?, serviceAccount: String?, secrets: [MCPServerSpec.SecretRef]) -> Value? {
        var t = template.map(PodQuantities.canonical(template:)) ?? ["spec": ["containers": []]]
        if let serviceAccount, !serviceAccount.isEmpty {
            t.set(path: ["spec", "serviceAccountName"], to: .string(serviceAccount))
        }
        if !secrets.isEmpty {
            let envs: [Value] = secrets.map { s in
                ["name": .string(s.envName), "valueFrom": ["secretKeyRef": ["name": .string(s.name), "key": .string(s.key)]]]
            }
            var containers = t[path: "spec.containers"]?.arrayValue ?? []
            if let i = containers.firstIndex(where: { $0["name"]?.stringValue == mcpContainer }) {
                let existing = containers[i]["env"]?.arrayValue ?? []
                containers[i].set(path: ["env"], to: .array(existing + envs))
            } else {
                containers.append(["name": .string(mcpContainer), "env": .array(envs)])
            }
            t.set(path: ["spec", "containers"], to: .array(containers))
        }
        if isEmpty(t) { return nil }
        // Go's encoder always writes these two; writing them too keeps the common patch byte-identical.
        if t[path: "metadata.creationTimestamp"] == nil { t.set(path: ["metadata", "creationTimestamp"], to: .null) }
        if t[path: "spec.containers"] == nil { t.set(path: ["spec", "containers"], to: []) }
        return t
    }

    /// Compact JSON with keys in byte order: the runner and the drift check compare the argument
    /// byte for byte, so the same inputs must always print the same string.
    public static func serialize(_ patch: Value) -> String {
        RunConfigBuilder.goHTMLEscaped(JSONWriter.write(patch, pretty: false, sortKeys: true))
    }

    /// The customisations the Go builder looks at to decide the patch is worth passing.
    static func isEmpty(_ t: Value) -> Bool {
        let spec = t["spec"] ?? .null
        let meta = t["metadata"] ?? .null
        func none(_ v: Value?) -> Bool {
            guard let v else { return true }
            if let s = v.stringValue { return s.isEmpty }
            return v.isEmptyish
        }
        return none(spec["serviceAccountName"]) && none(spec["containers"]) && none(spec["volumes"])
            && none(spec["initContainers"]) && none(spec["tolerations"]) && none(spec["nodeSelector"])
            && (spec["affinity"] ?? .null).isNull && (spec["securityContext"] ?? .null).isNull
            && none(spec["priorityClassName"]) && none(spec["imagePullSecrets"])
            && none(meta["labels"]) && none(meta["annotations"])
    }

    private enum Shape { case object, array, string }

    private static func goKind(_ v: Value) -> String {
        switch v {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        }
    }

    private static func expect(_ v: Value, _ shape: Shape, _ field: String, _ goType: String, topLevel: Bool = false) throws(DecodeError) {
        let ok: Bool
        switch (shape, v) {
        case (_, .null): ok = true  // null decodes as the zero value
        case (.object, .object), (.array, .array), (.string, .string): ok = true
        default: ok = false
        }
        guard !ok else { return }
        if topLevel {
            throw DecodeError(message: "json: cannot unmarshal \(goKind(v)) into Go value of type \(goType)")
        }
        throw DecodeError(message: "json: cannot unmarshal \(goKind(v)) into Go struct field \(field) of type \(goType)")
    }

    private static func expectStringMap(_ v: Value, _ field: String) throws(DecodeError) {
        try expect(v, .object, field, "map[string]string")
        for (_, item) in v.objectValue ?? OrderedMap() { try expect(item, .string, field, "string") }
    }

    private static func expectStringList(_ v: Value, _ field: String) throws(DecodeError) {
        try expect(v, .array, field, "[]string")
        for item in v.arrayValue ?? [] { try expect(item, .string, field, "string") }
    }
}
