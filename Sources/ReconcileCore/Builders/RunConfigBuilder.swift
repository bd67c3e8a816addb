/// The proxy runner's configuration (`N-runconfig`, spec A §2.4.6): the RunConfig JSON the runner
/// reads, and the ConfigMap that carries it with its SHA-256 content checksum. The checksum is
/// copied onto the proxy pod template, so any change of content rolls the proxy pods.
public enum RunConfigBuilder {
    public static let schemaVersion = "v0.1.0"
    public static let dataKey = "runconfig.json"
    public static let contentChecksumAnnotation = "toolhive.stacklok.dev/content-checksum"
    public static let mountPath = "/etc/runconfig"

    /// A configuration the runner would reject; the pass reports "Failed to build configuration: ...".
    public struct InvalidConfig: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Labels of the run-config ConfigMap (a set of its own, not `L(N)`).
    public static func labels(server name: String) -> [String: String] {
        [
            "toolhive.stacklok.io/component": "run-config",
            "toolhive.stacklok.io/mcp-server": name,
            "toolhive.stacklok.io/managed-by": "toolhive-operator",
        ]
    }

    /// What the referenced MCPToolConfig contributes (`tools_filter`, `tools_override`).
    public struct Tools: Sendable, Hashable {
        public var filter: [String] = []
        /// tool → {name, description}, as the MCPToolConfig spells it.
        public var override: OrderedMap = OrderedMap()
        public init() {}
        public init(toolConfig: KubeObject) {
            filter = (toolConfig.spec["toolsFilter"]?.arrayValue ?? []).compactMap(\.stringValue)
            override = toolConfig.spec["toolsOverride"]?.objectValue ?? OrderedMap()
        }
    }

    /// The RunConfig tree, fields in the order spec A §2.4.6 lists them, empty optional fields left
    /// out as Go's `omitempty` does. `env_vars` and `tools_override` are Go maps, so their keys are
    /// sorted.
    public static func runConfig(_ server: MCPServer, tools: Tools, env: OperatorEnvironment) throws(InvalidConfig) -> Value {
        let s = server.spec
        try validate(s, tools: tools)
        var m = OrderedMap()
        m["schema_version"] = .string(schemaVersion)
        m["name"] = .string(server.name)
        m["image"] = .string(s.image)
        if server.generation != 0 { m["mcpserver_generation"] = .int(server.generation) }
        if !s.args.isEmpty { m["cmd_args"] = .strings(s.args) }
        m["transport"] = .string(s.transport)
        m["proxy_mode"] = .string(s.effectiveProxyMode)
        m["host"] = .string(env.proxyHost)
        m["port"] = .int(s.proxyPort)
        m["target_port"] = .int(s.mcpPort)
        var envVars: [String: String] = [:]
        for e in s.env { envVars[e.name] = e.value }
        envVars["MCP_TRANSPORT"] = s.transport
        if s.transport != "stdio" {
            envVars["MCP_PORT"] = String(s.mcpPort)
            envVars["FASTMCP_PORT"] = String(s.mcpPort)
        }
        m["env_vars"] = sortedStringMap(envVars)
        if !s.volumes.isEmpty {
            m["volumes"] = .strings(s.volumes.map { "\($0.hostPath):\($0.mountPath)\($0.readOnly ? ":ro" : "")" })
        }
        if !tools.filter.isEmpty { m["tools_filter"] = .strings(tools.filter) }
        if !tools.override.isEmpty {
            var o = OrderedMap()
            for (tool, ov) in tools.override.sortedByKey() {
                var entry = OrderedMap()
                if let n = ov["name"]?.stringValue, !n.isEmpty { entry["name"] = .string(n) }
                if let d = ov["description"]?.stringValue, !d.isEmpty { entry["description"] = .string(d) }
                o[tool] = .object(entry)
            }
            m["tools_override"] = .object(o)
        }
        if let p = s.permissionProfile {
            m["permission_profile_name_or_path"] = .string(p.type == "configmap" ? "/etc/toolhive/profiles/\(p.key)" : p.name)
        }
        if s.trustProxyHeaders { m["trust_proxy_headers"] = true }
        if !s.endpointPrefix.isEmpty { m["endpoint_prefix"] = .string(s.endpointPrefix) }
        if let rl = s.rateLimiting {
            m["rate_limit_config"] = rl
            m["rate_limit_namespace"] = .string(server.namespace)
        }
        var scaling = OrderedMap()
        if let b = s.backendReplicas { scaling["backend_replicas"] = .int(b) }
        if let ss = s.sessionStorage, ss.provider == "redis" {
            scaling["session_redis"] = redis(address: ss.address, db: ss.db, keyPrefix: ss.keyPrefix)
        } else if let addr = env.defaultRedisAddress {
            scaling["session_redis"] = redis(address: addr, db: 0, keyPrefix: "")
        }
        if !scaling.isEmpty { m["scaling_config"] = .object(scaling) }
        return .object(m)
    }

    /// 2-space indented JSON as Go's `json.MarshalIndent` prints it (no trailing newline, and
    /// `<`, `>`, `&` escaped the way Go's HTML-safe encoder does), so the checksum matches.
    public static func json(_ runConfig: Value) -> String {
        var text = JSONWriter.write(runConfig, pretty: true)
        if text.hasSuffix("\n") { text.removeLast() }
        return goHTMLEscaped(text)
    }

    /// Go's encoder escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; these characters can
    /// only occur inside strings in JSON text, so a plain replacement is exact.
    public static func goHTMLEscaped(_ text: String) -> String {
        // Byte-level: this runs over every run config; text without the few escapable bytes
        // (`<`, `>`, `&`, and 0xE2, which starts U+2028/U+2029) is returned as is.
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x3C: out.append(contentsOf: "\\u003c".utf8)
            case 0x3E: out.append(contentsOf: "\\u003e".utf8)
            case 0x26: out.append(contentsOf: "\\u0026".utf8)
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out.append(contentsOf: (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            default: out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 over data, labels and annotations (each key then value, keys in byte order, the
    /// checksum annotation itself excluded), lowercase hex.
    public static func contentChecksum(data: [String: String], labels: [String: String], annotations: [String: String]) -> String {
        var h = SHA256()
        func feed(_ map: [String: String]) {
            for k in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                h.update(k)
                h.update(map[k] ?? "")
            }
        }
        feed(data)
        feed(labels)
        feed(annotations.filter { $0.key != contentChecksumAnnotation })
        return Hex.encode(h.finalize())
    }

    /// The `N-runconfig` ConfigMap, owned by the server, with its checksum annotation.
    public static func configMap(_ server: MCPServer, json: String) -> KubeObject {
        let labels = labels(server: server.name)
        let data = [dataKey: json]
        let checksum = contentChecksum(data: data, labels: labels, annotations: [:])
        var cm = KubeObject.owned(by: server.object, kind: Kinds.configMap, name: Naming.serverRunConfig(server.name), labels: labels, annotations: [contentChecksumAnnotation: checksum])
        cm.root["data"] = [dataKey: .string(json)]
        return cm
    }

    static func redis(address: String, db: Int64, keyPrefix: String) -> Value {
        var r = OrderedMap()
        if !address.isEmpty { r["address"] = .string(address) }
        if db != 0 { r["db"] = .int(db) }
        if !keyPrefix.isEmpty { r["key_prefix"] = .string(keyPrefix) }
        return .object(r)
    }

    static func sortedStringMap(_ map: [String: String]) -> Value {
        var m = OrderedMap()
        for k in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { m[k] = .string(map[k] ?? "") }
        return .object(m)
    }

    /// The runner's own checks (the operator runs them before writing the ConfigMap).
    static func validate(_ s: MCPServerSpec, tools: Tools) throws(InvalidConfig) {
        if s.image.isEmpty { throw InvalidConfig(message: "image is required") }
        if s.transport != "stdio", !(1...65535).contains(s.proxyPort) || !(1...65535).contains(s.mcpPort) {
            throw InvalidConfig(message: "ports must be between 1 and 65535")
        }
        for e in s.env {
            if e.name.isEmpty { throw InvalidConfig(message: "environment variable key cannot be empty") }
            if containsByte(e.name, of: "=\r\n") {
                throw InvalidConfig(message: "environment variable key \"\(e.name)\" contains invalid characters")
            }
            if containsByte(e.value, of: "\r\n") {
                throw InvalidConfig(message: "environment variable \"\(e.name)\" value contains invalid characters")
            }
        }
        for v in s.volumes {
            let parts = "\(v.hostPath):\(v.mountPath)".split(separator: ":", omittingEmptySubsequences: false)
            if parts.count != 2 { throw InvalidConfig(message: "invalid volume mount \"\(v.hostPath):\(v.mountPath)\"") }
        }
        for t in tools.filter where t.isEmpty || containsByte(t, of: ",\r\n") {
            throw InvalidConfig(message: "invalid tool name \"\(t)\" in tools filter")
        }
    }

    /// Whether `s` holds any of the ASCII bytes of `set`, as Go's `strings.ContainsAny` finds
    /// them: byte by byte, so a `=` or line break followed by a combining mark still counts (a
    /// `Character` comparison would see one grapheme and miss it, and costs far more).
    static func containsByte(_ s: String, of set: StaticString) -> Bool {
        set.withUTF8Buffer { bytes in s.utf8.contains { bytes.contains($0) } }
    }
}
