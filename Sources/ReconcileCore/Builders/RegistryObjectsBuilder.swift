/// The MCPRegistry's supporting objects (spec A §4.4): the config ConfigMap, the ServiceAccount,
/// Role and RoleBinding the registry API runs as, and the Service in front of it.
public enum RegistryObjectsBuilder {
    /// `L_reg(R, X)`.
    public static func labels(registry: String, name: String) -> [String: String] {
        [
            "app.kubernetes.io/name": name,
            "app.kubernetes.io/component": "registry-api",
            "app.kubernetes.io/managed-by": "toolhive-operator",
            "toolhive.stacklok.io/registry-name": registry,
        ]
    }

    /// The fixed selector of the API Deployment and Service.
    public static func selector(registry: String) -> [String: String] {
        ["app.kubernetes.io/name": Naming.registryAPI(registry), "app.kubernetes.io/component": "registry-api"]
    }

    /// `R-registry-server-config`: `config.yaml` is `spec.configYAML` verbatim (never parsed), with a
    /// SHA-256 content checksum (the annotation key the RunConfig ConfigMap uses too). No labels, as
    /// in the real operator.
    public static func configMap(for registry: KubeObject, configYAML: String) -> KubeObject {
        var cm = KubeObject.owned(
            by: registry, kind: Kinds.configMap, name: Naming.registryConfigMap(registry.name),
            annotations: [RunConfigBuilder.contentChecksumAnnotation: SHA256.hex(configYAML)])
        cm.root["data"] = [MCPRegistry.configFileKey: .string(configYAML)]
        return cm
    }

    /// ServiceAccount `R-registry-api`; `imagePullSecrets` only when the merged list is non-empty, so
    /// platform-managed pull secrets on the SA are left alone otherwise.
    public static func serviceAccount(for registry: KubeObject, imagePullSecrets: [String]) -> KubeObject {
        let name = Naming.registryRBAC(registry.name)
        var sa = KubeObject.owned(by: registry, kind: Kinds.serviceAccount, name: name, labels: labels(registry: registry.name, name: name))
        if !imagePullSecrets.isEmpty { sa.root["imagePullSecrets"] = pullSecretList(imagePullSecrets) }
        return sa
    }

    /// Role `R-registry-api` with exactly the six rules of §4.4.
    public static func role(for registry: KubeObject) -> KubeObject {
        let name = Naming.registryRBAC(registry.name)
        var role = KubeObject.owned(by: registry, kind: Kinds.role, name: name, labels: labels(registry: registry.name, name: name))
        let read: Value = .strings(["get", "list", "watch"])
        let readWrite: Value = .strings(["get", "list", "watch", "create", "update", "patch", "delete"])
        func rule(_ group: String, _ resources: [String], _ verbs: Value) -> Value {
            ["apiGroups": .strings([group]), "resources": .strings(resources), "verbs": verbs]
        }
        role.root["rules"] = [
            rule(Kinds.toolhiveGroup, ["mcpservers", "mcpremoteproxies", "virtualmcpservers"], read),
            rule("", ["services"], read),
            rule("gateway.networking.k8s.io", ["httproutes", "gateways"], read),
            rule("", ["configmaps"], readWrite),
            rule("coordination.k8s.io", ["leases"], readWrite),
            rule("events.k8s.io", ["events"], .strings(["create", "patch"])),
        ]
        return role
    }

    /// RoleBinding `R-registry-api`: the Role bound to the ServiceAccount of the same name.
    public static func roleBinding(for registry: KubeObject) -> KubeObject {
        let name = Naming.registryRBAC(registry.name)
        var rb = KubeObject.owned(by: registry, kind: Kinds.roleBinding, name: name, labels: labels(registry: registry.name, name: name))
        rb.root["roleRef"] = ["apiGroup": .string(Kinds.role.group), "kind": "Role", "name": .string(name)]
        rb.root["subjects"] = [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(registry.namespace)]]
        return rb
    }

    /// Service `R-api`: ClusterIP, one `http` port on `MCPRegistry.apiPort`.
    public static func service(for registry: KubeObject) -> KubeObject {
        let name = Naming.registryAPI(registry.name)
        var svc = KubeObject.owned(by: registry, kind: Kinds.service, name: name, labels: labels(registry: registry.name, name: name))
        svc.root["spec"] = [
            "type": "ClusterIP",
            "selector": .stringMap(selector(registry: registry.name)),
            "ports": [["name": "http", "port": .int(MCPRegistry.apiPort), "targetPort": .int(MCPRegistry.apiPort), "protocol": "TCP"]],
        ]
        return svc
    }

    /// `[{name: a}, {name: b}]`.
    public static func pullSecretList(_ names: [String]) -> Value {
        .array(names.map { ["name": .string($0)] })
    }
}
