/// The proxy runner's identity (spec A §2.4.5): ServiceAccount, Role and RoleBinding
/// `N-proxy-runner`, and the MCP server pod's ServiceAccount `N-sa` when the spec names none.
/// None of them carries labels.
public enum ProxyRBACBuilder {
    /// The runner manages its StatefulSet and Services, reads its pods and config.
    public static let rules: [Value] = [
        rule("apps", "statefulsets", ["get", "list", "watch", "create", "update", "patch", "delete"]),
        rule("", "services", ["get", "list", "watch", "create", "update", "patch", "delete"]),
        rule("", "pods", ["get", "list", "watch"]),
        rule("", "pods/log", ["get"]),
        rule("", "pods/attach", ["create", "get"]),
        rule("", "configmaps", ["get", "list", "watch"]),
    ]

    static func rule(_ group: String, _ resource: String, _ verbs: [String]) -> Value {
        ["apiGroups": [.string(group)], "resources": [.string(resource)], "verbs": .strings(verbs)]
    }

    /// A ServiceAccount; pull secrets only when there are some (an empty list leaves live ones alone).
    public static func serviceAccount(_ server: MCPServer, name: String, pullSecrets: [String]) -> KubeObject {
        var sa = KubeObject.owned(by: server.object, kind: Kinds.serviceAccount, name: name)
        if !pullSecrets.isEmpty { sa.root["imagePullSecrets"] = .array(pullSecrets.map { ["name": .string($0)] }) }
        return sa
    }

    public static func role(_ server: MCPServer) -> KubeObject {
        var role = KubeObject.owned(by: server.object, kind: Kinds.role, name: Naming.serverProxyRunner(server.name))
        role.root["rules"] = .array(rules)
        return role
    }

    public static func roleBinding(_ server: MCPServer) -> KubeObject {
        let name = Naming.serverProxyRunner(server.name)
        var rb = KubeObject.owned(by: server.object, kind: Kinds.roleBinding, name: name)
        rb.root["roleRef"] = ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(name)]
        rb.root["subjects"] = [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(server.namespace)]]
        return rb
    }

    /// Everything of §2.4.5 for one server, in creation order.
    public static func objects(_ server: MCPServer, env: OperatorEnvironment) -> [KubeObject] {
        let pull = ProxyDeploymentBuilder.imagePullSecrets(server.spec, env: env)
        var out = [
            serviceAccount(server, name: Naming.serverProxyRunner(server.name), pullSecrets: pull),
            role(server),
            roleBinding(server),
        ]
        if server.spec.serviceAccount == nil {
            out.append(serviceAccount(server, name: Naming.serverServiceAccount(server.name), pullSecrets: pull))
        }
        return out
    }
}
