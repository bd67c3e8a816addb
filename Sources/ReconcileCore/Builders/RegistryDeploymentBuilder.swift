/// The registry API Deployment `R-api` (spec A §4.4.1, §4.4.3, §4.4.4).
public enum RegistryDeploymentBuilder {
    /// Pod-template annotation: hash of the whole MCPRegistry spec, so any spec change (the config
    /// YAML included) rolls the pods. SHA-256 of the spec's canonical JSON (Go uses FNV-32a over a Go
    /// dump, which cannot be reproduced outside Go; switching operators causes one rollout).
    public static let configHashAnnotation = "toolhive.stacklok.dev/config-hash"
    /// Deployment annotation: SHA-256 of the user podTemplateSpec's canonical (sorted-key) JSON,
    /// present only when a podTemplateSpec is given.
    public static let podTemplateSpecHashAnnotation = "toolhive.stacklok.io/podtemplatespec-hash"
    public static let pgpassInitImage = "cgr.dev/chainguard/busybox:latest"

    /// The desired Deployment. `exists` says whether `R-api` is already there: `replicas: 1` is
    /// written only at creation and omitted afterwards, so an HPA or `kubectl scale` keeps its value.
    /// `podTemplate` must be a template that passed `K8sPodPatch.validate`.
    public static func deployment(
        for registry: KubeObject, spec: MCPRegistrySpec, podTemplate: Value?, env: OperatorEnvironment, exists: Bool
    ) -> KubeObject {
        let name = Naming.registryAPI(registry.name)
        var annotations: [String: String] = [:]
        if let podTemplate { annotations[podTemplateSpecHashAnnotation] = podTemplate.canonicalSHA256 }
        var d = KubeObject.owned(
            by: registry, kind: Kinds.deployment, name: name,
            labels: RegistryObjectsBuilder.labels(registry: registry.name, name: name), annotations: annotations)
        let defaults = defaultPodTemplate(for: registry, spec: spec, env: env)
        let template = podTemplate.map { PodTemplateMerge.userFirst(defaults: defaults, user: $0) } ?? defaults
        var s = OrderedMap()
        if !exists { s["replicas"] = 1 }
        s["selector"] = ["matchLabels": .stringMap(RegistryObjectsBuilder.selector(registry: registry.name))]
        s["template"] = template
        d.root["spec"] = .object(s)
        return d
    }

    /// The API server's own check a Deployment must pass: its pod template labels must match its
    /// selector. A user podTemplateSpec that overrides `app.kubernetes.io/name` (user labels win,
    /// §4.4.4) breaks it; the real operator then fails to write the Deployment.
    public static func selectorProblem(of deployment: KubeObject) -> String? {
        guard deployment.groupKind == Kinds.deployment else { return nil }
        let selector = deployment[path: "spec.selector.matchLabels"]?.stringMapValue ?? [:]
        let labels = deployment[path: "spec.template.metadata.labels"]?.stringMapValue ?? [:]
        let broken = selector.keys.sorted().filter { labels[$0] != selector[$0] }
        guard !broken.isEmpty else { return nil }
        return "Deployment \(deployment.namespace)/\(deployment.name) is invalid: spec.template.metadata.labels: `selector` does not match template `labels` (\(broken.joined(separator: ", ")))"
    }

    /// Spec imagePullSecrets first, then the operator defaults, without repeats. Used by the pod
    /// template and the ServiceAccount alike.
    public static func mergedImagePullSecrets(spec: MCPRegistrySpec, env: OperatorEnvironment) -> [String] {
        var out: [String] = []
        for n in spec.imagePullSecrets + env.defaultImagePullSecrets where !out.contains(n) { out.append(n) }
        return out
    }

    /// The operator's own template, before the user's is laid over it.
    static func defaultPodTemplate(for registry: KubeObject, spec: MCPRegistrySpec, env: OperatorEnvironment) -> Value {
        let name = Naming.registryAPI(registry.name)
        var container = OrderedMap()
        container["name"] = .string(MCPRegistry.containerName)
        container["image"] = .string(env.registryAPIImage)
        container["args"] = .strings(["serve", "--config=\(MCPRegistry.configMountPath)/\(MCPRegistry.configFileKey)"])
        container["ports"] = [["name": "http", "containerPort": .int(MCPRegistry.apiPort), "protocol": "TCP"]]
        container["resources"] = [
            "requests": ["cpu": "100m", "memory": "128Mi"],
            "limits": ["cpu": "500m", "memory": "512Mi"],
        ]
        container["livenessProbe"] = probe(path: "/health", initialDelay: 30, period: 10)
        container["readinessProbe"] = probe(path: "/readiness", initialDelay: 5, period: 5)

        var mounts: [Value] = [["name": .string(MCPRegistry.configVolumeName), "mountPath": .string(MCPRegistry.configMountPath), "readOnly": true]]
        var volumes: [Value] = [["name": .string(MCPRegistry.configVolumeName), "configMap": ["name": .string(Naming.registryConfigMap(registry.name))]]]
        appendNamed(spec.volumeMounts, to: &mounts)
        appendNamed(spec.volumes, to: &volumes)

        var podSpec = OrderedMap()
        podSpec["serviceAccountName"] = .string(Naming.registryRBAC(registry.name))
        let pulls = mergedImagePullSecrets(spec: spec, env: env)
        if !pulls.isEmpty { podSpec["imagePullSecrets"] = RegistryObjectsBuilder.pullSecretList(pulls) }

        if let ref = spec.pgpassSecretRef, !ref.name.isEmpty, !ref.key.isEmpty {
            volumes.append(["name": .string(MCPRegistry.pgpassSecretVolumeName), "secret": ["secretName": .string(ref.name), "items": [["key": .string(ref.key), "path": ".pgpass"]]]])
            volumes.append(["name": .string(MCPRegistry.pgpassVolumeName), "emptyDir": [:]])
            mounts.append(["name": .string(MCPRegistry.pgpassVolumeName), "mountPath": .string(MCPRegistry.pgpassMountPath), "subPath": ".pgpass", "readOnly": true])
            container["env"] = [["name": "PGPASSFILE", "value": .string(MCPRegistry.pgpassMountPath)]]
            podSpec["initContainers"] = [pgpassInitContainer()]
        }
        container["volumeMounts"] = .array(mounts)
        podSpec["containers"] = [.object(container)]
        podSpec["volumes"] = .array(volumes)

        var meta = OrderedMap()
        meta["labels"] = .stringMap(RegistryObjectsBuilder.labels(registry: registry.name, name: name))
        meta["annotations"] = .stringMap([configHashAnnotation: registry.spec.canonicalSHA256])
        return ["metadata": .object(meta), "spec": .object(podSpec)]
    }

    /// Copies the pgpass file from the Secret into an emptyDir as the app user with mode 0600
    /// (libpq rejects any other mode, and Secret volumes cannot give it to a non-root user).
    static func pgpassInitContainer() -> Value {
        [
            "name": .string(MCPRegistry.pgpassInitContainerName),
            "image": .string(pgpassInitImage),
            "command": .strings(["sh", "-c", "cp /secret/.pgpass /pgpass/.pgpass && chmod 0600 /pgpass/.pgpass"]),
            "volumeMounts": [
                ["name": .string(MCPRegistry.pgpassSecretVolumeName), "mountPath": "/secret", "readOnly": true],
                ["name": .string(MCPRegistry.pgpassVolumeName), "mountPath": "/pgpass"],
            ],
            "securityContext": [
                "runAsNonRoot": true, "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                "capabilities": ["drop": ["ALL"]],
            ],
            "resources": [
                "requests": ["cpu": "10m", "memory": "16Mi"],
                "limits": ["cpu": "50m", "memory": "32Mi"],
            ],
        ]
    }

    static func probe(path: String, initialDelay: Int64, period: Int64) -> Value {
        ["httpGet": ["path": .string(path), "port": .int(MCPRegistry.healthPort)], "initialDelaySeconds": .int(initialDelay), "periodSeconds": .int(period)]
    }

    /// Appends items whose `name` is not taken yet (spec volumes/mounts never replace the operator's).
    static func appendNamed(_ items: [Value], to list: inout [Value]) {
        for item in items {
            let name = item["name"]?.stringValue
            if list.contains(where: { $0["name"]?.stringValue == name }) { continue }
            list.append(item)
        }
    }
}
