/// An MCPExternalAuthConfig as the operator reads it: its type, the block named after the type,
/// and the Secrets it points at (by name and key only: values are never read into the core's output).
public struct MCPExternalAuthConfigSpec: Sendable, Equatable {
    public static let types = ["tokenExchange", "headerInjection", "bearerToken", "unauthenticated", "embeddedAuthServer", "awsSts", "upstreamInject", "obo", "xaa"]
    /// Every type except `unauthenticated` has a block of the same name.
    public static let blockTypes = types.filter { $0 != "unauthenticated" }

    public var type: String
    /// The block named after the type (empty map for `unauthenticated`).
    public var block: Value

    public init(_ object: KubeObject) throws(FieldError) {
        let spec = FieldReader(object.spec, path: "spec")
        type = try spec.enumString("type", allowed: Self.types) ?? ""
        if type.isEmpty { throw spec.child("type").error("required field is missing") }
        block = type == "unauthenticated" ? .object(OrderedMap()) : (object.spec[type] ?? .null)
    }

    /// Type/block consistency (the CRD's CEL rules, which the operator re-checks) and the fields
    /// the schema requires of each block; returns the first problem.
    public static func validate(_ object: KubeObject) -> String? {
        let spec: MCPExternalAuthConfigSpec
        do { spec = try MCPExternalAuthConfigSpec(object) } catch { return error.description }
        for t in blockTypes where t != spec.type {
            if let v = object.spec[t], !v.isNull { return "\(t) configuration must be set if and only if type is '\(t)'" }
        }
        if spec.type == "unauthenticated" { return nil }
        guard spec.block.objectValue != nil else { return "\(spec.type) configuration must be set if and only if type is '\(spec.type)'" }
        let b = spec.block
        func missing(_ path: String) -> Bool { (b[path: path]?.stringValue ?? "").isEmpty }
        let required: [String]
        switch spec.type {
        case "tokenExchange": required = ["tokenUrl", "audience"]
        case "headerInjection": required = ["headerName", "valueSecretRef.name", "valueSecretRef.key"]
        case "bearerToken": required = ["tokenSecretRef.name", "tokenSecretRef.key"]
        case "upstreamInject": required = ["providerName"]
        case "awsSts": required = ["region"]
        case "xaa": required = ["idpTokenUrl", "targetTokenUrl", "targetAudience"]
        case "embeddedAuthServer": required = ["issuer"]
        default: required = []
        }
        for path in required where missing(path) { return "spec.\(spec.type).\(path) is required" }
        if spec.type == "embeddedAuthServer", (b["upstreamProviders"]?.arrayValue ?? []).isEmpty {
            return "spec.embeddedAuthServer.upstreamProviders must have at least one provider"
        }
        return nil
    }

    /// The Secrets this config makes the vMCP pod read, as (env var name, Secret ref), sorted by env name.
    public func secretEnvironment(configName: String) -> [(env: String, ref: SecretKeyRef)] {
        let suffix = Self.envSuffix(configName)
        var out: [(String, SecretKeyRef)] = []
        func ref(_ path: String) -> SecretKeyRef? {
            guard let n = block[path: "\(path).name"]?.stringValue, let k = block[path: "\(path).key"]?.stringValue, !n.isEmpty else { return nil }
            return SecretKeyRef(name: n, key: k)
        }
        switch type {
        case "tokenExchange":
            if let r = ref("clientSecretRef") { out.append(("TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_\(suffix)", r)) }
        case "headerInjection":
            if let r = ref("valueSecretRef") { out.append(("TOOLHIVE_HEADER_INJECTION_VALUE_\(suffix)", r)) }
        case "xaa":
            if let r = ref("idpClientSecretRef") { out.append(("TOOLHIVE_XAA_IDP_CLIENT_SECRET_\(suffix)", r)) }
            if let r = ref("targetClientSecretRef") { out.append(("TOOLHIVE_XAA_TARGET_CLIENT_SECRET_\(suffix)", r)) }
        default: break
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Every Secret the config needs at run time (for the runtime's fail-closed resolution).
    public var secretRefs: [SecretKeyRef] {
        var out: [SecretKeyRef] = []
        for path in ["clientSecretRef", "valueSecretRef", "tokenSecretRef", "idpClientSecretRef", "targetClientSecretRef"] {
            if let n = block[path: "\(path).name"]?.stringValue, let k = block[path: "\(path).key"]?.stringValue, !n.isEmpty {
                out.append(SecretKeyRef(name: n, key: k))
            }
        }
        return out
    }

    /// `<N>` of the env var names: upper case, `-` and anything outside `[A-Z0-9_]` become `_`.
    public static func envSuffix(_ name: String) -> String {
        String(String.UnicodeScalarView(name.uppercased().unicodeScalars.map { s in
            (("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_") ? s : "_"
        }))
    }
}
