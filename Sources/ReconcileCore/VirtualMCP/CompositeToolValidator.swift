/// The shared composite-tool validator (spec §8.3): one function for inline
/// `spec.config.compositeTools[]`, for VirtualMCPCompositeToolDefinitions and for the definitions a
/// VirtualMCPServer references. Top-level problems are all collected; step-level checks stop at
/// the first problem, as the runtime's validator does.
public enum CompositeToolValidator {
    /// What kind of problem, for the definition's `WorkflowValidated` reason.
    public enum Kind: String, Sendable {
        case invalid = "ValidationFailed"
        case schema = "SchemaInvalid"
        case template = "TemplateInvalid"
        case dependencyCycle = "DependencyCycle"
    }

    public struct Issue: Sendable, Equatable {
        public var kind: Kind
        public var message: String
    }

    /// `^[a-zA-Z0-9][a-zA-Z0-9._-]*$`
    static func toolNamePattern(_ name: String) -> Bool {
        let s = Array(name.unicodeScalars)
        guard let f = s.first, isAlnum(f) else { return false }
        return s.dropFirst().allSatisfy { isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
    static func isAlnum(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) }

    /// Every problem found, in a stable order; empty means valid.
    public static func issues(_ tool: Value, path p: String) -> [Issue] {
        var out: [Issue] = []
        if (tool["name"]?.stringValue ?? "").isEmpty { out.append(Issue(kind: .invalid, message: "\(p).name is required")) }
        if (tool["description"]?.stringValue ?? "").isEmpty { out.append(Issue(kind: .invalid, message: "\(p).description is required")) }
        let steps = tool["steps"]?.arrayValue ?? []
        if steps.isEmpty { out.append(Issue(kind: .invalid, message: "\(p).steps must have at least one step")) }
        if let t = tool["timeout"], !t.isNull, GoDuration.parse(t.stringValue ?? "") == nil {
            out.append(Issue(kind: .invalid, message: "\(p).timeout: invalid duration \(Diff.short(t))"))
        }
        if let params = tool["parameters"], !params.isEmptyish {
            if let e = parametersProblem(params) { out.append(Issue(kind: .schema, message: "\(p).parameters: \(e)")) }
        }
        if !steps.isEmpty {
            if let e = stepsProblem(steps, path: "\(p).steps") { out.append(e) }
            if let e = defaultResultsProblem(steps, output: tool["output"], path: "\(p).steps") { out.append(Issue(kind: .invalid, message: e)) }
        }
        return out
    }

    /// `validation failed: e1; e2` or nil, the message form the operator reports.
    public static func message(_ tool: Value, path: String) -> String? {
        let found = issues(tool, path: path)
        return found.isEmpty ? nil : "validation failed: " + found.map(\.message).joined(separator: "; ")
    }

    static func parametersProblem(_ params: Value) -> String? {
        guard params.objectValue != nil else { return "invalid JSON: expected an object" }
        guard let type = params["type"] else { return "must have 'type' field (should be 'object' for JSON Schema)" }
        guard let s = type.stringValue else { return "'type' field must be a string" }
        guard s == "object" else { return "'type' must be 'object' (got '\(s)')" }
        return schemaProblem(params).map { "invalid JSON Schema: \($0)" }
    }

    /// A light JSON Schema well-formedness check: `type` names a JSON type, `properties` is a map
    /// of schemas, `required` is a list of strings.
    static func schemaProblem(_ schema: Value) -> String? {
        guard schema.objectValue != nil else { return "schema must be an object" }
        let jsonTypes: Set<String> = ["object", "array", "string", "number", "integer", "boolean", "null"]
        if let t = schema["type"] {
            let names = t.arrayValue?.compactMap(\.stringValue) ?? (t.stringValue.map { [$0] } ?? [])
            if names.isEmpty || names.contains(where: { !jsonTypes.contains($0) }) { return "type has an invalid value \(Diff.short(t))" }
        }
        if let props = schema["properties"] {
            guard let m = props.objectValue else { return "properties must be an object" }
            for (k, v) in m { if let e = schemaProblem(v) { return "properties.\(k): \(e)" } }
        }
        if let req = schema["required"], !(req.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false) {
            return "required must be a list of strings"
        }
        if let items = schema["items"], items.objectValue != nil, let e = schemaProblem(items) { return "items: \(e)" }
        return nil
    }

    static func stepsProblem(_ steps: [Value], path p: String) -> Issue? {
        var ids = Set<String>()
        for (i, s) in steps.enumerated() {
            let id = s["id"]?.stringValue ?? ""
            if id.isEmpty { return Issue(kind: .invalid, message: "\(p)[\(i)].id is required") }
            if !ids.insert(id).inserted { return Issue(kind: .invalid, message: "\(p)[\(i)].id \"\(id)\" is duplicated") }
        }
        for (i, s) in steps.enumerated() {
            if let e = stepProblem(s, at: "\(p)[\(i)]", ids: ids) { return e }
        }
        if let cyc = cycle(steps) {
            return Issue(kind: .dependencyCycle, message: "\(p): dependency cycle detected involving step \"\(cyc)\"")
        }
        return nil
    }

    static func stepProblem(_ s: Value, at p: String, ids: Set<String>) -> Issue? {
        func bad(_ m: String) -> Issue { Issue(kind: .invalid, message: m) }
        let type = s["type"]?.stringValue ?? ""
        let tool = s["tool"]?.stringValue ?? ""
        let message = s["message"]?.stringValue ?? ""
        if type.isEmpty && !tool.isEmpty && !message.isEmpty {
            return bad("\(p) cannot have both tool and message fields - use explicit type to clarify intent")
        }
        let effective = type.isEmpty ? "tool" : type
        switch effective {
        case "tool":
            if tool.isEmpty { return bad("\(p).tool is required when type is tool") }
            if !toolNamePattern(tool) { return bad("\(p).tool must be a valid tool name") }
        case "elicitation":
            if message.isEmpty { return bad("\(p).message is required when type is elicitation") }
        case "forEach":
            if !tool.isEmpty || !message.isEmpty { return bad("\(p) of type forEach cannot have tool or message fields") }
            let collection = s["collection"]?.stringValue ?? ""
            if collection.isEmpty { return bad("\(p).collection is required when type is forEach") }
            if let e = templateProblem(collection) { return Issue(kind: .template, message: "\(p).collection: invalid template: \(e)") }
            guard let inner = s["step"], inner.objectValue != nil else { return bad("\(p).step is required when type is forEach") }
            let innerType = inner["type"]?.stringValue ?? "tool"
            if innerType != "tool" { return bad("\(p).step must be a tool step") }
            let innerTool = inner["tool"]?.stringValue ?? ""
            if innerTool.isEmpty || !toolNamePattern(innerTool) { return bad("\(p).step.tool must be a valid tool name") }
            if let e = argumentsProblem(inner, at: "\(p).step") { return e }
            if let v = s["itemVar"]?.stringValue, !v.isEmpty {
                if !isGoIdentifier(v) || v == "index" { return bad("\(p).itemVar must be a valid identifier other than \"index\"") }
            }
            if let mp = s["maxParallel"]?.intValue, !(0...50).contains(mp) { return bad("\(p).maxParallel must be between 0 and 50") }
            if let mi = s["maxIterations"]?.intValue, !(0...1000).contains(mi) { return bad("\(p).maxIterations must be between 0 and 1000") }
        default:
            return bad("\(p).type must be one of: tool, elicitation, forEach")
        }
        if let e = argumentsProblem(s, at: p) { return e }
        for field in ["condition", "message"] {
            if let t = s[field]?.stringValue, !t.isEmpty, let e = templateProblem(t) {
                return Issue(kind: .template, message: "\(p).\(field): invalid template: \(e)")
            }
        }
        if let schema = s["schema"], !schema.isEmptyish, let e = schemaProblem(schema) {
            return Issue(kind: .schema, message: "\(p).schema: invalid JSON Schema: \(e)")
        }
        for dep in s["dependsOn"]?.arrayValue ?? [] {
            let d = dep.stringValue ?? ""
            if !ids.contains(d) { return bad("\(p).dependsOn references unknown step \"\(d)\"") }
        }
        if let onError = s["onError"], onError.objectValue != nil {
            let action = onError["action"]?.stringValue ?? ""
            if !action.isEmpty {
                if !["abort", "continue", "retry"].contains(action) { return bad("\(p).onError.action must be one of: abort, continue, retry") }
                if action == "retry" && (onError["retryCount"]?.intValue ?? 0) < 1 {
                    return bad("\(p).onError.retryCount must be at least 1 when action is retry")
                }
            }
        }
        if effective == "elicitation" {
            for handler in ["onDecline", "onCancel"] {
                guard let h = s[handler], h.objectValue != nil else { continue }
                let action = h["action"]?.stringValue ?? ""
                if action.isEmpty { return bad("\(p).\(handler).action is required") }
                if !["abort", "continue", "skip_remaining"].contains(action) {
                    return bad("\(p).\(handler).action must be one of: abort, continue, skip_remaining")
                }
            }
        }
        return nil
    }

    static func argumentsProblem(_ s: Value, at p: String) -> Issue? {
        for (name, v) in s["arguments"]?.objectValue ?? OrderedMap() {
            if let t = v.stringValue, let e = templateProblem(t) {
                return Issue(kind: .template, message: "\(p).arguments[\(name)]: invalid template: \(e)")
            }
        }
        return nil
    }

    static func templateProblem(_ t: String) -> String? {
        do { try GoTemplateSyntax.check(t) } catch { return error.message }
        return nil
    }

    static func isGoIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.properties.isAlphabetic || f == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The first step (in step order) found on a `dependsOn` cycle, by depth-first search.
    public static func cycle(_ steps: [Value]) -> String? {
        var graph: [String: [String]] = [:]
        var order: [String] = []
        for s in steps {
            let id = s["id"]?.stringValue ?? ""
            order.append(id)
            graph[id] = (s["dependsOn"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        var visited = Set<String>()
        var onStack = Set<String>()
        func visit(_ id: String) -> Bool {
            visited.insert(id)
            onStack.insert(id)
            for d in graph[id] ?? [] {
                if !visited.contains(d) { if visit(d) { return true } } else if onStack.contains(d) { return true }
            }
            onStack.remove(id)
            return false
        }
        for id in order where !visited.contains(id) {
            if visit(id) { return id }
        }
        return nil
    }

    /// Steps that may be skipped must declare `defaultResults` for every output field others use.
    static func defaultResultsProblem(_ steps: [Value], output: Value?, path p: String) -> String? {
        var defaults: [String: Set<String>] = [:]
        for s in steps {
            let skippable = !(s["condition"]?.stringValue ?? "").isEmpty || s[path: "onError.action"]?.stringValue == "continue"
            guard skippable, let id = s["id"]?.stringValue else { continue }
            defaults[id] = Set(s["defaultResults"]?.objectValue?.keys ?? [])
        }
        if defaults.isEmpty { return nil }
        func refs(_ texts: [String]) -> [(step: String, field: String)] {
            var out: [(String, String)] = []
            for t in texts {
                for r in GoTemplateSyntax.fieldReferences(in: t) {
                    let parts = r.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    if parts.count >= 5, parts[1] == "steps", parts[3] == "output" { out.append((parts[2], parts[4])) }
                }
            }
            return out
        }
        for s in steps {
            var texts = [s["condition"]?.stringValue, s["message"]?.stringValue].compactMap { $0 }
            texts += (s["arguments"]?.objectValue ?? OrderedMap()).compactMap { $0.value.stringValue }
            for r in refs(texts) {
                if let fields = defaults[r.step], !fields.contains(r.field) {
                    return "\(p)[\(r.step)].defaultResults[\(r.field)] is required: step \"\(r.step)\" may be skipped and field \"\(r.field)\" is referenced by step \(s["id"]?.stringValue ?? "")"
                }
            }
        }
        func outputTexts(_ props: Value?) -> [String] {
            var out: [String] = []
            for (_, prop) in props?.objectValue ?? OrderedMap() {
                if let v = prop["value"]?.stringValue { out.append(v) }
                out += outputTexts(prop["properties"])
            }
            return out
        }
        for r in refs(outputTexts(output?["properties"])) {
            if let fields = defaults[r.step], !fields.contains(r.field) {
                return "\(p)[\(r.step)].defaultResults[\(r.field)] is required: step \"\(r.step)\" may be skipped and field \"\(r.field)\" is referenced by output"
            }
        }
        return nil
    }
}
