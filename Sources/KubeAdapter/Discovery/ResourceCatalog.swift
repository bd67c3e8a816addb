import ReconcileCore

/// One REST resource: how a kind is addressed over HTTP (`/apis/<group>/<version>/namespaces/<ns>/<plural>`).
///
/// Both the client (building request paths) and the sandbox (routing them, answering discovery)
/// read this one table, so the two can never disagree on a plural or a scope.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    /// Versions served, the first being the preferred (storage) one.
    public var versions: [String]
    public var kind: String
    public var plural: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Whether `/status` is a separate subresource (spec writes ignore status and vice versa).
    public var hasStatus: Bool

    public init(group: String, versions: [String], kind: String, plural: String, namespaced: Bool = true,
                shortNames: [String] = [], categories: [String] = [], hasStatus: Bool = true) {
        self.group = group
        self.versions = versions
        self.kind = kind
        self.plural = plural
        self.singular = kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatus = hasStatus
    }

    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    public var preferredVersion: String { versions.first ?? "v1" }
    public func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }
    public var preferredAPIVersion: String { apiVersion(preferredVersion) }

    /// The collection path for a namespace ("" or nil: all namespaces / cluster-scoped).
    public func collectionPath(namespace: String?, version: String? = nil) -> String {
        let v = version ?? preferredVersion
        let base = group.isEmpty ? "/api/\(v)" : "/apis/\(group)/\(v)"
        if namespaced, let namespace, !namespace.isEmpty {
            return "\(base)/namespaces/\(PercentEncoding.pathSegment(namespace))/\(plural)"
        }
        return "\(base)/\(plural)"
    }

    /// The path of one object, optionally of a subresource (`status`).
    public func objectPath(namespace: String, name: String, subresource: String? = nil, version: String? = nil) -> String {
        var p = collectionPath(namespace: namespace, version: version) + "/" + PercentEncoding.pathSegment(name)
        if let subresource { p += "/" + subresource }
        return p
    }
}

/// The resources this project reads, writes or serves: the core kinds the operator owns, the
/// ToolHive kinds (both served versions) and what leader election and events need.
public struct ResourceCatalog: Sendable {
    public var resources: [ResourceType]

    public init(_ resources: [ResourceType]) { self.resources = resources }

    public func resource(for kind: GroupKind) -> ResourceType? { resources.first { $0.groupKind == kind } }
    public func resource(group: String, plural: String) -> ResourceType? {
        resources.first { $0.group == group && $0.plural == plural }
    }
    /// Groups in first-seen order, each with its versions.
    public var groups: [(name: String, versions: [String])] {
        var out: [(String, [String])] = []
        for r in resources {
            if let i = out.firstIndex(where: { $0.0 == r.group }) {
                for v in r.versions where !out[i].1.contains(v) { out[i].1.append(v) }
            } else {
                out.append((r.group, r.versions))
            }
        }
        return out
    }

    public static let standard: ResourceCatalog = {
        let core: [ResourceType] = [
            ResourceType(group: "", versions: ["v1"], kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"]),
            ResourceType(group: "", versions: ["v1"], kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"]),
            ResourceType(group: "", versions: ["v1"], kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"]),
            ResourceType(group: "", versions: ["v1"], kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], hasStatus: false),
            ResourceType(group: "", versions: ["v1"], kind: "Secret", plural: "secrets", hasStatus: false),
            ResourceType(group: "", versions: ["v1"], kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"], hasStatus: false),
            ResourceType(group: "", versions: ["v1"], kind: "Event", plural: "events", shortNames: ["ev"], hasStatus: false),
            ResourceType(group: "apps", versions: ["v1"], kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: ["all"]),
            ResourceType(group: "apps", versions: ["v1"], kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], categories: ["all"]),
            ResourceType(group: "rbac.authorization.k8s.io", versions: ["v1"], kind: "Role", plural: "roles", hasStatus: false),
            ResourceType(group: "rbac.authorization.k8s.io", versions: ["v1"], kind: "RoleBinding", plural: "rolebindings", hasStatus: false),
            ResourceType(group: "coordination.k8s.io", versions: ["v1"], kind: "Lease", plural: "leases", hasStatus: false),
            ResourceType(group: "events.k8s.io", versions: ["v1"], kind: "Event", plural: "events", shortNames: ["ev"], hasStatus: false),
        ]
        let toolhive: [(String, String, [String])] = [
            ("MCPServer", "mcpservers", ["mcpserver", "mcpservers"]),
            ("MCPGroup", "mcpgroups", ["mcpg", "mcpgroup"]),
            ("MCPRegistry", "mcpregistries", ["mcpreg", "registry"]),
            ("VirtualMCPServer", "virtualmcpservers", ["vmcp", "virtualmcp"]),
            ("MCPExternalAuthConfig", "mcpexternalauthconfigs", ["extauth", "mcpextauth"]),
            ("MCPToolConfig", "mcptoolconfigs", ["tc", "toolconfig"]),
            ("VirtualMCPCompositeToolDefinition", "virtualmcpcompositetooldefinitions", ["vmcpctd", "compositetool"]),
            ("MCPRemoteProxy", "mcpremoteproxies", ["rp", "mcprp"]),
            ("MCPServerEntry", "mcpserverentries", ["mcpentry"]),
            ("MCPOIDCConfig", "mcpoidcconfigs", ["mcpoidc"]),
            ("MCPAuthzConfig", "mcpauthzconfigs", ["authzcfg"]),
            ("MCPTelemetryConfig", "mcptelemetryconfigs", ["mcpotel"]),
            ("MCPWebhookConfig", "mcpwebhookconfigs", ["mwc"]),
            ("EmbeddingServer", "embeddingservers", ["emb", "embedding"]),
        ]
        // v1beta1 first: it is the version the operator writes (Kinds.toolhiveAPIVersion).
        let versions = [APIVersion.version(of: Kinds.toolhiveAPIVersion)] + Kinds.toolhiveServedVersions.filter { $0 != APIVersion.version(of: Kinds.toolhiveAPIVersion) }
        let th = toolhive.map {
            ResourceType(group: Kinds.toolhiveGroup, versions: versions, kind: $0.0, plural: $0.1, shortNames: $0.2, categories: ["toolhive"])
        }
        return ResourceCatalog(core + th)
    }()
}

/// Percent-encoding for the two places Kubernetes paths need it.
public enum PercentEncoding {
    /// One path segment: unreserved characters stay, everything else is %XX.
    public static func pathSegment(_ s: String) -> String { encode(s, keep: { _ in false }) }
    /// A query value (selectors contain `=`, `,` and `!`).
    public static func queryValue(_ s: String) -> String { encode(s, keep: { _ in false }) }

    private static func encode(_ s: String, keep: (UInt8) -> Bool) -> String {
        var out = ""
        for b in s.utf8 {
            let unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
            if unreserved || keep(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Decodes %XX and (in queries) `+` as space; malformed escapes are kept literally.
    public static func decode(_ s: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else if plusIsSpace && u[i] == 0x2B {
                bytes.append(0x20)
                i += 1
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
