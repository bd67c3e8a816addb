/// The objects a VirtualMCPServer owns (spec §3), built from the decoded spec and what the
/// reconciler resolved. Every object carries a controller reference to the VirtualMCPServer.
public enum VMCPDeploymentBuilder {
    public static let port: Int64 = 4483
    public static let checksumAnnotation = "toolhive.stacklok.dev/content-checksum"
    public static let runconfigChecksumAnnotation = "toolhive.stacklok.dev/runconfig-checksum"
    public static let podTemplateHashAnnotation = "toolhive.stacklok.io/podtemplatespec-hash"
    public static let pullSecretsHashAnnotation = "toolhive.stacklok.io/imagepullsecrets-hash"
    public static let hmacKey = "hmac-secret"

    /// The workload label set (Deployment, its selector and pods, Service and its selector).
    public static func workloadLabels(_ name: String) -> [String: String] {
        ["app": "virtualmcpserver", "app.kubernetes.io/name": "virtualmcpserver", "app.kubernetes.io/instance": name, "toolhive": "true", "toolhive-name": name]
    }

    /// `http://vmcp-{name}.{ns}.svc.cluster.local:4483`, recomputed every pass (it follows the Service).
    public static func url(_ vmcp: KubeObject) -> String {
        "http://\(Naming.vmcpService(vmcp.name)).\(vmcp.namespace).svc.cluster.local:\(port)"
    }

    /// `spec.imagePullSecrets` (deduplicated, in order) then the operator's defaults not already present.
    public static func pullSecrets(_ spec: VirtualMCPServerSpec, env: OperatorEnvironment) -> [String] {
        var out = spec.imagePullSecrets
        for s in env.defaultImagePullSecrets where !out.contains(s) { out.append(s) }
        return out
    }

    // MARK: RBAC

    public static func serviceAccount(_ vmcp: KubeObject, pullSecrets: [String]) -> KubeObject {
        var sa = KubeObject.owned(by: vmcp, kind: Kinds.serviceAccount, name: Naming.vmcpRBAC(vmcp.name))
        if !pullSecrets.isEmpty { sa.root["imagePullSecrets"] = .array(pullSecrets.map { ["name": .string($0)] }) }
        return sa
    }

    /// Role rules depend on the outgoing-auth source: discovered mode reads the group's workloads,
    /// their auth configs and Secrets at run time; inline mode only reports status.
    public static func role(_ vmcp: KubeObject, source: String) -> KubeObject {
        var role = KubeObject.owned(by: vmcp, kind: Kinds.role, name: Naming.vmcpRBAC(vmcp.name))
        func rule(_ group: String, _ resources: [String], _ verbs: [String]) -> Value {
            ["apiGroups": .strings([group]), "resources": .strings(resources), "verbs": .strings(verbs)]
        }
        let status = [
            rule(Kinds.toolhiveGroup, ["virtualmcpservers"], ["get"]),
            rule(Kinds.toolhiveGroup, ["virtualmcpservers/status"], ["update", "patch"]),
        ]
        let rules: [Value]
        if source == "inline" {
            rules = status
        } else {
            rules = [
                rule("", ["configmaps", "secrets"], ["get", "list", "watch"]),
                rule(Kinds.toolhiveGroup, ["mcpgroups", "mcpservers", "mcpremoteproxies", "mcpserverentries", "mcpexternalauthconfigs", "mcptoolconfigs"], ["get", "list", "watch"]),
            ] + status
        }
        role.root["rules"] = .array(rules)
        return role
    }

    public static func roleBinding(_ vmcp: KubeObject) -> KubeObject {
        let n = Naming.vmcpRBAC(vmcp.name)
        var rb = KubeObject.owned(by: vmcp, kind: Kinds.roleBinding, name: n)
        rb.root["roleRef"] = ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(n)]
        rb.root["subjects"] = [["kind": "ServiceAccount", "name": .string(n), "namespace": .string(vmcp.namespace)]]
        return rb
    }

    // MARK: HMAC Secret

    /// A new HMAC Secret with 32 random bytes from the environment (never generated in the core).
    public static func hmacSecret(_ vmcp: KubeObject, env: OperatorEnvironment) -> KubeObject {
        var s = KubeObject.owned(
            by: vmcp, kind: Kinds.secret, name: Naming.vmcpHMACSecret(vmcp.name),
            labels: [
                "app.kubernetes.io/name": "virtualmcpserver", "app.kubernetes.io/instance": vmcp.name,
                "app.kubernetes.io/component": "session-security", "app.kubernetes.io/managed-by": "toolhive-operator",
            ],
            annotations: ["toolhive.stacklok.dev/purpose": "hmac-secret-for-session-token-binding"])
        s.root["type"] = "Opaque"
        let text = Base64.encode(env.randomBytes(for: "vmcp-hmac-secret", of: vmcp.key, count: 32))
        // The key's value is the base64 text; Secret `data` carries it base64-encoded once more.
        s.root["data"] = [hmacKey: .string(Base64.encode(Array(text.utf8)))]
        return s
    }

    /// Why an existing HMAC Secret is unusable (the operator never repairs or replaces it), or nil.
    public static func hmacSecretProblem(_ secret: KubeObject, owner vmcp: KubeObject) -> String? {
        let owned = secret.ownerReferences.contains { $0.kind == "VirtualMCPServer" && $0.name == vmcp.name && $0.uid == vmcp.uid }
        if !owned { return "HMAC secret \(secret.name) is not owned by VirtualMCPServer \(vmcp.name)" }
        let text: String
        if let d = secret.root["data"]?[hmacKey]?.stringValue {
            guard let raw = Base64.decode(d) else { return "HMAC secret \(secret.name) data is not valid base64" }
            text = String(decoding: raw, as: UTF8.self)
        } else if let s = secret.root["stringData"]?[hmacKey]?.stringValue {
            text = s
        } else {
            return "HMAC secret \(secret.name) has no \(hmacKey) key"
        }
        if text.isEmpty { return "HMAC secret \(secret.name) is empty" }
        guard let bytes = Base64.decode(text.trimmingSpaces) else { return "HMAC secret \(secret.name) is not valid base64" }
        if bytes.count != 32 { return "HMAC secret \(secret.name) must decode to 32 bytes, got \(bytes.count)" }
        if bytes.allSatisfy({ $0 == 0 }) { return "HMAC secret \(secret.name) is all zeros" }
        return nil
    }

    // MARK: ConfigMap

    public static func configMapLabels(_ name: String) -> [String: String] {
        ["toolhive.stacklok.io/component": "vmcp-config", "toolhive.stacklok.io/virtual-mcp-server": name, "toolhive.stacklok.io/managed-by": "toolhive-operator"]
    }

    /// SHA-256 over data keys (sorted) and values, then label keys (sorted) and values.
    public static func checksum(data: [String: String], labels: [String: String]) -> String {
        var h = SHA256()
        for k in data.keys.sorted() { h.update(k); h.update(data[k] ?? "") }
        for k in labels.keys.sorted() { h.update(k); h.update(labels[k] ?? "") }
        return Hex.encode(h.finalize())
    }

    public static func configMap(_ vmcp: KubeObject, configYAML: String) -> KubeObject {
        let labels = configMapLabels(vmcp.name)
        let data = ["config.yaml": configYAML]
        var cm = KubeObject.owned(
            by: vmcp, kind: Kinds.configMap, name: Naming.vmcpConfigMap(vmcp.name), labels: labels,
            annotations: [checksumAnnotation: checksum(data: data, labels: labels)])
        cm.root["data"] = .stringMap(data)
        return cm
    }

    // MARK: Deployment

    /// Everything the Deployment needs besides the spec.
    public struct DeploymentInputs: Sendable {
        public var configChecksum: String
        public var env: [Value]
        public var pullSecrets: [String]
        public var extraVolumes: [(volume: Value, mount: Value)]
        public var debug: Bool
    }

    public static func deployment(_ vmcp: KubeObject, spec: VirtualMCPServerSpec, inputs: DeploymentInputs, env operatorEnv: OperatorEnvironment) -> KubeObject {
        let labels = workloadLabels(vmcp.name)
        var annotations: [String: String] = [:]
        if let pts = spec.podTemplateSpec {
            annotations[podTemplateHashAnnotation] = SHA256.hex(JSONWriter.write(pts, pretty: false, sortKeys: true))
        }
        if !inputs.pullSecrets.isEmpty {
            let sorted = inputs.pullSecrets.sorted().map { ["name": .string($0)] as Value }
            annotations[pullSecretsHashAnnotation] = SHA256.hex(JSONWriter.write(.array(sorted), pretty: false))
        }
        var d = KubeObject.owned(by: vmcp, kind: Kinds.deployment, name: Naming.vmcpDeployment(vmcp.name), labels: labels, annotations: annotations)
        let openshift = operatorEnv.platform == .openshift

        var args: [String] = ["serve", "--config=/etc/vmcp-config/config.yaml", "--host=0.0.0.0", "--port=\(port)"]
        if inputs.debug { args.append("--debug") }
        var csc = OrderedMap()
        csc["privileged"] = false
        csc["runAsNonRoot"] = true
        if !openshift { csc["runAsUser"] = 1000; csc["runAsGroup"] = 1000 }
        csc["allowPrivilegeEscalation"] = false
        csc["readOnlyRootFilesystem"] = true
        csc["seccompProfile"] = ["type": "RuntimeDefault"]
        csc["capabilities"] = ["drop": ["ALL"]]
        func probe(_ path: String, _ delay: Int64, _ period: Int64, _ timeout: Int64) -> Value {
            ["httpGet": ["path": .string(path), "port": "http"], "initialDelaySeconds": .int(delay), "periodSeconds": .int(period),
             "timeoutSeconds": .int(timeout), "failureThreshold": 3]
        }
        var container = OrderedMap()
        container["name"] = "vmcp"
        container["image"] = .string(operatorEnv.vmcpImage)
        container["imagePullPolicy"] = "IfNotPresent"
        container["args"] = .strings(args)
        container["ports"] = [["containerPort": .int(port), "name": "http", "protocol": "TCP"]]
        container["env"] = .array(inputs.env)
        container["resources"] = ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "500m", "memory": "512Mi"]]
        container["volumeMounts"] = .array(
            [["name": "vmcp-config", "mountPath": "/etc/vmcp-config", "readOnly": true]] + inputs.extraVolumes.map(\.mount))
        container["livenessProbe"] = probe("/health", 30, 10, 5)
        container["readinessProbe"] = probe("/readyz", 15, 5, 3)
        container["securityContext"] = .object(csc)

        var psc = OrderedMap()
        psc["runAsNonRoot"] = true
        if !openshift { psc["runAsUser"] = 1000; psc["runAsGroup"] = 1000; psc["fsGroup"] = 1000 }
        psc["seccompProfile"] = ["type": "RuntimeDefault"]
        var podSpec = OrderedMap()
        podSpec["serviceAccountName"] = .string(spec.serviceAccount ?? Naming.vmcpRBAC(vmcp.name))
        if !inputs.pullSecrets.isEmpty { podSpec["imagePullSecrets"] = .array(inputs.pullSecrets.map { ["name": .string($0)] }) }
        podSpec["securityContext"] = .object(psc)
        podSpec["terminationGracePeriodSeconds"] = 30
        podSpec["containers"] = [.object(container)]
        podSpec["volumes"] = .array(
            [["name": "vmcp-config", "configMap": ["name": .string(Naming.vmcpConfigMap(vmcp.name))]]] + inputs.extraVolumes.map(\.volume))

        var template: Value = [
            "metadata": ["labels": .stringMap(labels), "annotations": .stringMap([runconfigChecksumAnnotation: inputs.configChecksum])],
            "spec": .object(podSpec),
        ]
        // Go decodes the merge result into a PodTemplateSpec: its quantities come out in stored form.
        if let pts = spec.podTemplateSpec { template = PodQuantities.canonical(template: PodTemplatePatch.apply(pts, to: template)) }

        var s = OrderedMap()
        if let r = spec.replicas { s["replicas"] = .int(r) }
        s["selector"] = ["matchLabels": .stringMap(labels)]
        s["template"] = template
        d.root["spec"] = .object(s)
        return d
    }

    /// A read-only ConfigMap volume and its mount.
    public static func configMapVolume(name: String, configMap: String, mountPath: String, items: [String]? = nil) -> (volume: Value, mount: Value) {
        var cm = OrderedMap()
        cm["name"] = .string(configMap)
        if let items { cm["items"] = .array(items.map { ["key": .string($0), "path": .string($0)] }) }
        return (["name": .string(name), "configMap": .object(cm)], ["name": .string(name), "mountPath": .string(mountPath), "readOnly": true])
    }

    /// `ca-bundle-<entry>`, shortened with a hash when longer than a volume name may be.
    public static func entryCAVolumeName(_ entry: String) -> String {
        let full = "ca-bundle-\(entry)"
        guard full.count > 63 else { return full }
        var head = String(entry.prefix(44))
        while head.hasSuffix("-") { head.removeLast() }
        return "ca-bundle-\(head)-\(SHA256.hex(entry).prefix(8))"
    }

    // MARK: Service

    public static func service(_ vmcp: KubeObject, spec: VirtualMCPServerSpec) -> KubeObject {
        let labels = workloadLabels(vmcp.name)
        var svc = KubeObject.owned(by: vmcp, kind: Kinds.service, name: Naming.vmcpService(vmcp.name), labels: labels)
        var s = OrderedMap()
        s["type"] = .string(spec.serviceType)
        s["selector"] = .stringMap(labels)
        s["sessionAffinity"] = .string(spec.sessionAffinity)
        s["ports"] = [["name": "http", "port": .int(port), "targetPort": .int(port), "protocol": "TCP"]]
        svc.root["spec"] = .object(s)
        return svc
    }
}
