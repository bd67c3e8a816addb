/// The proxy runner Deployment `N` and its Service `mcp-N-proxy` (spec A §2.4.1–§2.4.4), built
/// whole from the MCPServer. Only fields the API server keeps as written are emitted (no `false`
/// for a plain bool it drops), so a Deployment that is already right compares as a subset.
public enum ProxyDeploymentBuilder {
    public static let containerName = "toolhive"
    public static let runConfigChecksumAnnotation = "toolhive.stacklok.dev/runconfig-checksum"
    public static let generationAnnotation = "toolhive.stacklok.dev/mcpserver-generation"
    public static let generationEnv = "THV_MCPSERVER_GENERATION"
    public static let redisPasswordEnv = "THV_SESSION_REDIS_PASSWORD"
    public static let profilesMountPath = "/etc/toolhive/profiles"
    public static let authzMountPath = "/etc/toolhive/authz"

    /// `L(N)`: Deployment labels and selector, pod labels, Service labels and selector, and the
    /// selector of the pods whose state becomes the server's status.
    public static func labels(server name: String) -> [String: String] {
        [
            "app": "mcpserver",
            "app.kubernetes.io/name": "mcpserver",
            "app.kubernetes.io/instance": name,
            "toolhive": "true",
            "toolhive-name": name,
        ]
    }

    /// `proxyDeployment.imagePullSecrets` in order without repeats, then the operator defaults not
    /// already named.
    public static func imagePullSecrets(_ spec: MCPServerSpec, env: OperatorEnvironment) -> [String] {
        var out: [String] = []
        for n in spec.proxyDeployment.imagePullSecrets + env.defaultImagePullSecrets where !n.isEmpty && !out.contains(n) {
            out.append(n)
        }
        return out
    }

    /// The proxy container's env, in the order §2.4.2 gives (the order is part of drift detection).
    public static func env(_ spec: MCPServerSpec) -> [Value] {
        var env: [Value] = []
        for e in spec.proxyDeployment.env { env.append(["name": .string(e.name), "value": .string(e.value)]) }
        if let ss = spec.sessionStorage, ss.provider == "redis", let pw = ss.passwordRef {
            env.append(["name": .string(redisPasswordEnv), "valueFrom": ["secretKeyRef": ["name": .string(pw.name), "key": .string(pw.key)]]])
        }
        env.append([
            "name": .string(generationEnv),
            "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": .string("metadata.annotations['\(generationAnnotation)']")]],
        ])
        var names = Set(env.compactMap { $0["name"]?.stringValue })
        for (n, v) in [("XDG_CONFIG_HOME", "/tmp"), ("HOME", "/tmp"), ("TOOLHIVE_RUNTIME", "kubernetes"), ("UNSTRUCTURED_LOGS", "false")] where !names.contains(n) {
            env.append(["name": .string(n), "value": .string(v)])
            names.insert(n)
        }
        if names.contains(where: { $0.hasPrefix("TOOLHIVE_SECRET_") }) {
            env.append(["name": "TOOLHIVE_SECRETS_PROVIDER", "value": "environment"])
        }
        return env
    }

    /// Volumes and mounts, in the order of §2.4.2.
    static func volumes(_ server: MCPServer) -> (volumes: [Value], mounts: [Value]) {
        let s = server.spec
        var volumes: [Value] = [["name": "runconfig", "configMap": ["name": .string(Naming.serverRunConfig(server.name))]]]
        var mounts: [Value] = [["name": "runconfig", "mountPath": .string(RunConfigBuilder.mountPath), "readOnly": true]]
        for v in s.volumes {
            volumes.append(["name": .string(v.name), "hostPath": ["path": .string(v.hostPath)]])
            var mount: Value = ["name": .string(v.name), "mountPath": .string(v.mountPath)]
            if v.readOnly { mount.set(path: ["readOnly"], to: true) }
            mounts.append(mount)
        }
        if let p = s.permissionProfile, p.type == "configmap" {
            volumes.append(["name": "permission-profile", "configMap": ["name": .string(p.name)]])
            mounts.append(["name": "permission-profile", "mountPath": .string(profilesMountPath), "readOnly": true])
        }
        if let a = s.authzConfig {
            let type = a["type"]?.stringValue ?? "configMap"
            if type == "inline" {
                volumes.append(["name": "authz-config", "configMap": ["name": .string(Naming.serverAuthzInline(server.name)), "items": [["key": "authz.json", "path": "authz.json"]]]])
            } else {
                let key = a[path: "configMap.key"]?.stringValue ?? "authz.json"
                let name = a[path: "configMap.name"]?.stringValue ?? ""
                volumes.append(["name": "authz-config", "configMap": ["name": .string(name), "items": [["key": .string(key.isEmpty ? "authz.json" : key), "path": "authz.json"]]]])
            }
            mounts.append(["name": "authz-config", "mountPath": .string(authzMountPath), "readOnly": true])
        }
        return (volumes, mounts)
    }

    /// The proxy container's resources. Go builds each through `resource.MustParse`, so the
    /// Deployment carries the quantity's stored form (`0.5` → `500m`, `1024Mi` → `1Gi`): with the
    /// user's spelling, the applied Deployment would never match the stored one. A value Go cannot
    /// parse (it panics) is kept as written; the reconciler stops before building, see
    /// `invalidResourceQuantity`.
    static func resources(_ spec: MCPServerSpec) -> Value? {
        var r = OrderedMap()
        for (key, list) in [("limits", spec.limits), ("requests", spec.requests)] where !list.isEmpty {
            var m = OrderedMap()
            if !list.cpu.isEmpty { m["cpu"] = .string(Quantity.canonical(list.cpu) ?? list.cpu) }
            if !list.memory.isEmpty { m["memory"] = .string(Quantity.canonical(list.memory) ?? list.memory) }
            r[key] = .object(m)
        }
        return r.isEmpty ? Optional<Value>.none : Value.object(r)
    }

    /// The first `spec.resources` quantity Go's `resource.MustParse` panics on, with Go's panic
    /// text (`cannot parse '<value>': <error>`), or nil when all parse.
    public static func invalidResourceQuantity(_ spec: MCPServerSpec) -> String? {
        for (key, list) in [("limits", spec.limits), ("requests", spec.requests)] {
            for (name, text) in [("cpu", list.cpu), ("memory", list.memory)] where !text.isEmpty {
                do throws(QuantityError) {
                    _ = try Quantity(text)
                } catch {
                    return "spec.resources.\(key).\(name): cannot parse '\(text)': \(error)"
                }
            }
        }
        return nil
    }

    // The parts of the Deployment that no input changes, built once: every server's plan shares
    // them, which also lets the YAML writer print them once (`SharedDesiredParts`).
    static let startupProbe = probe(initialDelay: nil, period: 5, timeout: 3, failureThreshold: 18)
    static let livenessProbe = probe(initialDelay: 30, period: 10, timeout: 5, failureThreshold: 3)
    static let readinessProbe = probe(initialDelay: 5, period: 5, timeout: 3, failureThreshold: 3)
    /// The pod's security context; OpenShift assigns the user and group ids itself.
    static let podSecurity = podSecurityContext(openShift: false)
    static let podSecurityOpenShift = podSecurityContext(openShift: true)
    /// The proxy container's security context, likewise.
    static let containerSecurity = containerSecurityContext(openShift: false)
    static let containerSecurityOpenShift = containerSecurityContext(openShift: true)

    private static func podSecurityContext(openShift: Bool) -> Value {
        var podSecurity = OrderedMap()
        podSecurity["runAsNonRoot"] = true
        if !openShift {
            podSecurity["runAsUser"] = 1000
            podSecurity["runAsGroup"] = 1000
            podSecurity["fsGroup"] = 1000
        }
        podSecurity["seccompProfile"] = ["type": "RuntimeDefault"]
        return .object(podSecurity)
    }

    private static func containerSecurityContext(openShift: Bool) -> Value {
        var containerSecurity = OrderedMap()
        containerSecurity["privileged"] = false
        containerSecurity["runAsNonRoot"] = true
        if !openShift {
            containerSecurity["runAsUser"] = 1000
            containerSecurity["runAsGroup"] = 1000
        }
        containerSecurity["allowPrivilegeEscalation"] = false
        containerSecurity["readOnlyRootFilesystem"] = true
        containerSecurity["seccompProfile"] = ["type": "RuntimeDefault"]
        containerSecurity["capabilities"] = ["drop": ["ALL"]]
        return .object(containerSecurity)
    }

    static func probe(initialDelay: Int64?, period: Int64, timeout: Int64, failureThreshold: Int64) -> Value {
        var p = OrderedMap()
        p["httpGet"] = ["path": "/health", "port": "http"]
        if let initialDelay { p["initialDelaySeconds"] = .int(initialDelay) }
        p["periodSeconds"] = .int(period)
        p["timeoutSeconds"] = .int(timeout)
        p["failureThreshold"] = .int(failureThreshold)
        return .object(p)
    }

    /// The Deployment. `podPatch` is the serialised `--k8s-pod-patch` (nil: argument left out);
    /// `extraPodAnnotations` carries restart stamps (`restarted-at`) decided this pass.
    public static func deployment(
        _ server: MCPServer, runConfigChecksum: String, podPatch: String?, extraPodAnnotations: [String: String], env: OperatorEnvironment
    ) -> KubeObject {
        let s = server.spec
        let base = labels(server: server.name)
        var d = KubeObject.owned(
            by: server.object, kind: Kinds.deployment, name: Naming.serverDeployment(server.name),
            labels: Labels.merge(operator: base, user: s.proxyDeployment.labels), annotations: s.proxyDeployment.annotations)
        let openShift = env.platform == .openshift

        var podAnnotations: [String: String] = [:]
        if !runConfigChecksum.isEmpty { podAnnotations[runConfigChecksumAnnotation] = runConfigChecksum }
        podAnnotations[generationAnnotation] = String(server.generation)
        podAnnotations = Labels.merge(operator: podAnnotations, user: s.proxyDeployment.podAnnotations)
        podAnnotations = Labels.merge(operator: podAnnotations, user: extraPodAnnotations)

        var args: [Value] = ["run"]
        if let podPatch { args.append(.string("--k8s-pod-patch=\(podPatch)")) }
        args.append(.string(s.image))

        let (volumes, mounts) = volumes(server)
        var container = OrderedMap()
        container["name"] = .string(containerName)
        container["image"] = .string(env.runnerImage)
        container["args"] = .array(args)
        container["ports"] = [["name": "http", "containerPort": .int(s.proxyPort), "protocol": "TCP"]]
        container["env"] = .array(Self.env(s))
        if let r = resources(s) { container["resources"] = r }
        container["volumeMounts"] = .array(mounts)
        container["startupProbe"] = startupProbe
        container["livenessProbe"] = livenessProbe
        container["readinessProbe"] = readinessProbe
        container["securityContext"] = openShift ? containerSecurityOpenShift : containerSecurity

        var podSpec = OrderedMap()
        podSpec["serviceAccountName"] = .string(Naming.serverProxyRunner(server.name))
        let pullSecrets = imagePullSecrets(s, env: env)
        if !pullSecrets.isEmpty { podSpec["imagePullSecrets"] = .array(pullSecrets.map { ["name": .string($0)] }) }
        podSpec["terminationGracePeriodSeconds"] = 30
        podSpec["securityContext"] = openShift ? podSecurityOpenShift : podSecurity
        podSpec["containers"] = [.object(container)]
        podSpec["volumes"] = .array(volumes)

        var template = OrderedMap()
        template["metadata"] = ["labels": .stringMap(Labels.merge(operator: base, user: s.proxyDeployment.podLabels)), "annotations": .stringMap(podAnnotations)]
        template["spec"] = .object(podSpec)

        var spec = OrderedMap()
        if let replicas = s.proxyReplicas { spec["replicas"] = .int(replicas) }
        spec["selector"] = ["matchLabels": .stringMap(base)]
        spec["template"] = .object(template)
        d.spec = .object(spec)
        return d
    }

    /// `http://mcp-N-proxy.NS.svc.cluster.local:<proxyPort>` plus `/mcp` or `/sse#N` (§2.8).
    public static func url(_ server: MCPServer) -> String {
        let s = server.spec
        let base = "http://\(Naming.serverProxyService(server.name)).\(server.namespace).svc.cluster.local:\(s.proxyPort)"
        switch (s.transport, s.effectiveProxyMode) {
        case ("streamable-http", _), ("stdio", "streamable-http"): return base + "/mcp"
        case ("sse", _), ("stdio", "sse"): return base + "/sse#" + pathEscape(server.name)
        default: return ""
        }
    }

    /// Go's `url.PathEscape`: everything but unreserved characters and a few sub-delims is %-encoded.
    static func pathEscape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isPathSafe(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// What `pathEscape` leaves as it is. A switch, not a set built per call: every sse server's
    /// URL is escaped on every pass.
    private static func isPathSafe(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }

    /// The proxy Service `mcp-N-proxy` (§2.4.4); the API server fills in the type (ClusterIP).
    public static func service(_ server: MCPServer) -> KubeObject {
        let s = server.spec
        let base = labels(server: server.name)
        var svc = KubeObject.owned(
            by: server.object, kind: Kinds.service, name: Naming.serverProxyService(server.name),
            labels: Labels.merge(operator: base, user: s.proxyServiceLabels), annotations: s.proxyServiceAnnotations)
        var spec = OrderedMap()
        spec["selector"] = .stringMap(base)
        spec["sessionAffinity"] = .string(s.sessionAffinity)
        spec["ports"] = [["name": "http", "port": .int(s.proxyPort), "targetPort": .int(s.proxyPort), "protocol": "TCP"]]
        svc.spec = .object(spec)
        return svc
    }

    /// `N-authz-inline`, only for `authzConfig.type: inline` (compact JSON, keys sorted as Go's map encoding does).
    public static func inlineAuthzConfigMap(_ server: MCPServer) -> KubeObject? {
        guard let a = server.spec.authzConfig, a["type"]?.stringValue == "inline", let inline = a["inline"], !inline.isNull else { return nil }
        let entities = inline["entitiesJson"]?.stringValue ?? ""
        let doc: Value = [
            "version": "1.0", "type": "cedarv1",
            "cedar": ["policies": inline["policies"] ?? [], "entities_json": .string(entities.isEmpty ? "[]" : entities)],
        ]
        var labels = labels(server: server.name)
        labels["toolhive.stacklok.io/authz"] = "inline"
        var cm = KubeObject.owned(by: server.object, kind: Kinds.configMap, name: Naming.serverAuthzInline(server.name), labels: labels)
        cm.root["data"] = ["authz.json": .string(RunConfigBuilder.goHTMLEscaped(JSONWriter.write(doc, pretty: false, sortKeys: true)))]
        return cm
    }
}
