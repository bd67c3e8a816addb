/// API group and kind, without version: `toolhive.stacklok.dev/v1alpha1` and `v1beta1` name the
/// same stored objects, so identity never includes the version.
public struct GroupKind: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }
    /// Field by field rather than as tuples: building the tuples copied (retained and released)
    /// every string of both sides, and converge sorts every round's requests.
    public static func < (a: GroupKind, b: GroupKind) -> Bool {
        if a.group != b.group { return a.group < b.group }
        return a.kind < b.kind
    }
    public var description: String { group.isEmpty ? kind : "\(kind).\(group)" }
}

/// Identity of a stored object: group, kind, namespace ("" for cluster-scoped) and name.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var groupKind: GroupKind
    public var namespace: String
    public var name: String

    public init(_ groupKind: GroupKind, namespace: String, name: String) {
        self.groupKind = groupKind
        self.namespace = namespace
        self.name = name
    }
    public var group: String { groupKind.group }
    public var kind: String { groupKind.kind }

    /// Group, kind, namespace, name (field by field, see `GroupKind.<`).
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        if a.groupKind != b.groupKind { return a.groupKind < b.groupKind }
        if a.namespace != b.namespace { return a.namespace < b.namespace }
        return a.name < b.name
    }
    /// Hashes the name and namespace only: keys are hashed on every lookup, and the group and
    /// kind strings (`toolhive.stacklok.dev`, `MCPServer`) add cost but rarely tell keys apart
    /// (equal keys still compare all four fields).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(namespace)
    }
    /// `Kind/namespace/name`, the form `simulate --changed` takes.
    public var description: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }
}

/// What a Plan prints to point at an object: the contract's `{apiVersion, kind, namespace, name}`.
public struct ObjectReference: Sendable, Hashable, Comparable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public var key: ObjectKey { ObjectKey(GroupKind(group: APIVersion.group(of: apiVersion), kind: kind), namespace: namespace, name: name) }

    public static func < (a: ObjectReference, b: ObjectReference) -> Bool {
        (a.apiVersion, a.kind, a.namespace, a.name) < (b.apiVersion, b.kind, b.namespace, b.name)
    }

    public var value: Value {
        var m = OrderedMap()
        m["apiVersion"] = .string(apiVersion)
        m["kind"] = .string(kind)
        if !namespace.isEmpty { m["namespace"] = .string(namespace) }
        m["name"] = .string(name)
        return .object(m)
    }
}

/// Helpers for `group/version` strings.
public enum APIVersion {
    /// `apps/v1` → `apps`; `v1` → `` (the core group).
    public static func group(of apiVersion: String) -> String {
        // UTF-8 search: `Character` search is far slower, and this runs for every object lookup.
        // The operator's own group comes back as the shared constant, not a new 21-byte string.
        let utf8 = apiVersion.utf8
        guard let slash = utf8.firstIndex(of: 0x2F) else { return "" }
        // Compared as a Substring (one memory comparison), not element by element.
        let group = Substring(utf8[..<slash])
        if group == Kinds.toolhiveGroup { return Kinds.toolhiveGroup }
        return String(group)
    }
    /// `apps/v1` → `v1`.
    public static func version(of apiVersion: String) -> String {
        guard let slash = apiVersion.utf8.firstIndex(of: 0x2F) else { return apiVersion }
        return String(Substring(apiVersion.utf8[apiVersion.utf8.index(after: slash)...]))
    }
}

/// The kinds this project knows by name, with the apiVersion the operator writes them in.
public enum Kinds {
    public static let toolhiveGroup = "toolhive.stacklok.dev"
    /// The storage version the operator writes; `v1alpha1` is read as an alias.
    public static let toolhiveAPIVersion = "toolhive.stacklok.dev/v1beta1"
    public static let toolhiveServedVersions = ["v1alpha1", "v1beta1"]

    public static let mcpServer = GroupKind(group: toolhiveGroup, kind: "MCPServer")
    public static let mcpGroup = GroupKind(group: toolhiveGroup, kind: "MCPGroup")
    public static let mcpRegistry = GroupKind(group: toolhiveGroup, kind: "MCPRegistry")
    public static let virtualMCPServer = GroupKind(group: toolhiveGroup, kind: "VirtualMCPServer")
    public static let mcpExternalAuthConfig = GroupKind(group: toolhiveGroup, kind: "MCPExternalAuthConfig")
    public static let mcpToolConfig = GroupKind(group: toolhiveGroup, kind: "MCPToolConfig")
    public static let compositeToolDefinition = GroupKind(group: toolhiveGroup, kind: "VirtualMCPCompositeToolDefinition")
    public static let mcpRemoteProxy = GroupKind(group: toolhiveGroup, kind: "MCPRemoteProxy")
    public static let mcpServerEntry = GroupKind(group: toolhiveGroup, kind: "MCPServerEntry")
    public static let mcpOIDCConfig = GroupKind(group: toolhiveGroup, kind: "MCPOIDCConfig")
    public static let mcpAuthzConfig = GroupKind(group: toolhiveGroup, kind: "MCPAuthzConfig")
    public static let mcpTelemetryConfig = GroupKind(group: toolhiveGroup, kind: "MCPTelemetryConfig")
    public static let mcpWebhookConfig = GroupKind(group: toolhiveGroup, kind: "MCPWebhookConfig")
    public static let embeddingServer = GroupKind(group: toolhiveGroup, kind: "EmbeddingServer")

    public static let deployment = GroupKind(group: "apps", kind: "Deployment")
    public static let statefulSet = GroupKind(group: "apps", kind: "StatefulSet")
    public static let service = GroupKind(group: "", kind: "Service")
    public static let serviceAccount = GroupKind(group: "", kind: "ServiceAccount")
    public static let configMap = GroupKind(group: "", kind: "ConfigMap")
    public static let secret = GroupKind(group: "", kind: "Secret")
    public static let pod = GroupKind(group: "", kind: "Pod")
    public static let namespace = GroupKind(group: "", kind: "Namespace")
    public static let role = GroupKind(group: "rbac.authorization.k8s.io", kind: "Role")
    public static let roleBinding = GroupKind(group: "rbac.authorization.k8s.io", kind: "RoleBinding")
    public static let event = GroupKind(group: "events.k8s.io", kind: "Event")
    public static let lease = GroupKind(group: "coordination.k8s.io", kind: "Lease")

    /// Every kind above, for resolving a kind typed on the command line.
    public static let known: [GroupKind] = [
        mcpServer, mcpGroup, mcpRegistry, virtualMCPServer, mcpExternalAuthConfig, mcpToolConfig, compositeToolDefinition,
        mcpRemoteProxy, mcpServerEntry, mcpOIDCConfig, mcpAuthzConfig, mcpTelemetryConfig, embeddingServer,
        deployment, statefulSet, service, serviceAccount, configMap, secret, pod, namespace, role, roleBinding, event, lease,
    ]

    /// The apiVersion to write for a kind the operator creates.
    public static func preferredAPIVersion(_ gk: GroupKind) -> String {
        switch gk.group {
        case "": return "v1"
        case "apps": return "apps/v1"
        case "rbac.authorization.k8s.io": return "rbac.authorization.k8s.io/v1"
        case "events.k8s.io": return "events.k8s.io/v1"
        case "coordination.k8s.io": return "coordination.k8s.io/v1"
        case toolhiveGroup: return toolhiveAPIVersion
        default: return "\(gk.group)/v1"
        }
    }

    /// Kinds that live outside namespaces.
    public static func isClusterScoped(_ gk: GroupKind) -> Bool {
        switch gk.kind {
        case "Namespace", "Node", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass":
            return true
        default:
            return false
        }
    }
}
