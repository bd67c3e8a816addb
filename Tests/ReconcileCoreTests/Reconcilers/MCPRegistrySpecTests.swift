import Testing
@testable import ReconcileCore

/// §4.2 spec validation (through the reconciler, so the status text is checked too) and the
/// objects built from a valid spec.
@Suite struct MCPRegistrySpecTests {
    typealias F = RegistryFixture

    /// Reconciles a registry with `spec` and returns the Ready condition's message when the pass
    /// failed validation (asserting the rest of the failed status on the way).
    func validationMessage(_ spec: Value, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        let r = F.reconcile([F.registry(spec: spec)])
        guard let status = r.statusPatch, let ready = ConditionList(status: status)["Ready"], ready.reason == "ValidationFailed" else { return nil }
        #expect(status["phase"] == "Failed", sourceLocation: sourceLocation)
        #expect(status["message"] == .string("Spec validation failed: " + ready.message), sourceLocation: sourceLocation)
        #expect(r.ops == ["patchStatus MCPRegistry"], "no children while invalid", sourceLocation: sourceLocation)
        #expect(r.requeueAfterSeconds == nil, sourceLocation: sourceLocation)
        return ready.message
    }

    @Test func reservedVolumeNames() {
        #expect(validationMessage(["configYAML": "x", "volumes": [["name": "registry-server-config", "emptyDir": [:]]]])
            == "volume name 'registry-server-config' is reserved by the operator")
        #expect(validationMessage(["configYAML": "x", "podTemplateSpec": ["spec": ["volumes": [["name": "registry-server-config"]]]]])
            == "volume name 'registry-server-config' is reserved by the operator")
        // pgpass names are reserved only while pgpassSecretRef is set.
        #expect(validationMessage(["configYAML": "x", "volumes": [["name": "pgpass", "emptyDir": [:]]]]) == nil)
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["name": "s", "key": "k"], "volumes": [["name": "pgpass", "emptyDir": [:]]]])
            == "volume name 'pgpass' is reserved by the operator")
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["name": "s", "key": "k"], "podTemplateSpec": ["spec": ["volumes": [["name": "pgpass-secret"]]]]])
            == "volume name 'pgpass-secret' is reserved by the operator")
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["name": "s", "key": "k"], "podTemplateSpec": ["spec": ["initContainers": [["name": "setup-pgpass"]]]]])
            == "init container name 'setup-pgpass' is reserved by the operator when pgpassSecretRef is set")
    }

    @Test func duplicateMountPaths() {
        #expect(validationMessage(["configYAML": "x", "volumes": [["name": "v"]], "volumeMounts": [["name": "v", "mountPath": "/config"]]])
            == "duplicate mount path '/config'")
        #expect(validationMessage(["configYAML": "x", "volumeMounts": [["name": "a", "mountPath": "/d"], ["name": "b", "mountPath": "/d"]]])
            == "duplicate mount path '/d'")
        #expect(validationMessage([
            "configYAML": "x", "volumeMounts": [["name": "a", "mountPath": "/d"]],
            "podTemplateSpec": ["spec": ["containers": [["name": "registry-api", "volumeMounts": [["name": "b", "mountPath": "/d"]]]]]],
        ]) == "duplicate mount path '/d'")
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["name": "s", "key": "k"], "volumeMounts": [["name": "a", "mountPath": "/home/appuser/.pgpass"]]])
            == "duplicate mount path '/home/appuser/.pgpass'")
        // A sub-path of /config is not a duplicate (the OAuth example mounts /config/certs/...).
        #expect(validationMessage(["configYAML": "x", "volumes": [["name": "c"]], "volumeMounts": [["name": "c", "mountPath": "/config/certs/ca"]]]) == nil)
    }

    @Test func malformedVolumesAndMountsAndPgpass() {
        #expect(validationMessage(["configYAML": "x", "volumes": ["oops"]]) == "invalid volumes: spec.volumes[0]: expected a map, got a string")
        #expect(validationMessage(["configYAML": "x", "volumes": [["emptyDir": [:]]]]) == "invalid volumes: spec.volumes[0].name: required field is missing")
        #expect(validationMessage(["configYAML": "x", "volumeMounts": [["name": "a"]]]) == "invalid volumeMounts: spec.volumeMounts[0].mountPath: required field is missing")
        #expect(validationMessage(["configYAML": "x", "volumeMounts": [["name": "a", "mountPath": "/a", "readOnly": "yes"]]])
            == "invalid volumeMounts: spec.volumeMounts[0].readOnly: expected a boolean, got a string")
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["key": "k"]]) == "pgpassSecretRef.name is required")
        #expect(validationMessage(["configYAML": "x", "pgpassSecretRef": ["name": "s", "key": ""]]) == "pgpassSecretRef.key is required")
        #expect(validationMessage(["displayName": "no config"]) == "spec.configYAML: required field is missing")
        #expect(validationMessage(["configYAML": 5]) == "spec.configYAML: expected a string, got an integer")
    }

    @Test func typedSpecDecodes() throws {
        let spec = try MCPRegistrySpec(FieldReader([
            "configYAML": "c", "displayName": "D", "imagePullSecrets": [["name": "a"], ["name": ""]],
            "pgpassSecretRef": ["name": "s", "key": "k"], "volumes": [["name": "v"]], "volumeMounts": [["name": "v", "mountPath": "/v"]],
        ], path: "spec"))
        #expect(spec.configYAML == "c" && spec.displayName == "D")
        #expect(spec.imagePullSecrets == ["a"], "empty names are dropped")
        #expect(spec.pgpassSecretRef == SecretKeyRef(name: "s", key: "k"))
        #expect(spec.volumes == [["name": "v"]] && spec.volumeMounts == [["name": "v", "mountPath": "/v"]])
        #expect(spec.podTemplateSpec == Value?.none, "absent, not a stored null")
        let withTemplate = try MCPRegistrySpec(FieldReader(["configYAML": "c", "podTemplateSpec": ["spec": [:]]], path: "spec"))
        #expect(withTemplate.podTemplateSpec == ["spec": [:]])
        #expect(throws: FieldError.self) { try MCPRegistrySpec(FieldReader("not a map", path: "spec")) }
    }

    @Test func validationFailureIsStillDeletable() {
        let spec: Value = ["configYAML": "x", "volumes": [["name": "registry-server-config"]]]
        let r = F.reconcile([F.registry(spec: spec, deleting: true)])
        #expect(r.ops == ["patchStatus MCPRegistry", "removeFinalizer MCPRegistry"])
    }

    @Test func pgpassPlumbing() throws {
        let spec: Value = [
            "configYAML": "x", "pgpassSecretRef": ["name": "my-pgpass", "key": ".pgpass"],
            "volumes": [["name": "data", "configMap": ["name": "prod"]]],
            "volumeMounts": [["name": "data", "mountPath": "/config/registry/production", "readOnly": true]],
        ]
        let r = F.reconcile([F.registry(spec: spec)])
        let pod = try #require(r.applied(Kinds.deployment)?[path: "spec.template.spec"])
        let volumes = pod["volumes"]?.arrayValue ?? []
        #expect(volumes.compactMap { $0["name"]?.stringValue } == ["registry-server-config", "data", "pgpass-secret", "pgpass"])
        #expect(volumes[2] == ["name": "pgpass-secret", "secret": ["secretName": "my-pgpass", "items": [["key": ".pgpass", "path": ".pgpass"]]]])
        #expect(volumes[3] == ["name": "pgpass", "emptyDir": [:]])
        let inits = pod["initContainers"]?.arrayValue ?? []
        #expect(inits.count == 1)
        let initC = try #require(inits.first)
        #expect(initC["name"] == "setup-pgpass" && initC["image"] == "cgr.dev/chainguard/busybox:latest")
        #expect(initC["command"] == ["sh", "-c", "cp /secret/.pgpass /pgpass/.pgpass && chmod 0600 /pgpass/.pgpass"])
        #expect(initC["volumeMounts"] == [["name": "pgpass-secret", "mountPath": "/secret", "readOnly": true], ["name": "pgpass", "mountPath": "/pgpass"]])
        #expect(initC[path: "securityContext.capabilities.drop"] == ["ALL"])
        #expect(initC[path: "securityContext.runAsNonRoot"] == true && initC[path: "securityContext.readOnlyRootFilesystem"] == true)
        #expect(initC[path: "securityContext.allowPrivilegeEscalation"] == false)
        #expect(initC[path: "resources.limits.memory"] == "32Mi" && initC[path: "resources.requests.cpu"] == "10m")
        let main = try #require(pod["containers"]?.arrayValue?.first)
        #expect(main["env"] == [["name": "PGPASSFILE", "value": "/home/appuser/.pgpass"]])
        #expect(main["volumeMounts"] == [
            ["name": "registry-server-config", "mountPath": "/config", "readOnly": true],
            ["name": "data", "mountPath": "/config/registry/production", "readOnly": true],
            ["name": "pgpass", "mountPath": "/home/appuser/.pgpass", "subPath": ".pgpass", "readOnly": true],
        ])
        // The secret is referenced by name and key only; nothing of it reaches the status.
        #expect(!JSONWriter.write(r.statusPatch ?? .null).contains("my-pgpass"))
    }

    @Test func defaultObjectsMatchTheSpec() throws {
        let r = F.reconcile([F.registry()])
        let cm = try #require(r.applied(Kinds.configMap))
        #expect(cm.name == "reg-registry-server-config" && cm.labels.isEmpty)
        #expect(cm.root["data"] == ["config.yaml": .string(F.config)])
        #expect(cm.ownerReferences == [OwnerReference(apiVersion: "toolhive.stacklok.dev/v1beta1", kind: "MCPRegistry", name: "reg", uid: F.uid)])
        let labels = RegistryObjectsBuilder.labels(registry: "reg", name: "reg-registry-api")
        #expect(labels == ["app.kubernetes.io/name": "reg-registry-api", "app.kubernetes.io/component": "registry-api", "app.kubernetes.io/managed-by": "toolhive-operator", "toolhive.stacklok.io/registry-name": "reg"])
        for kind in [Kinds.serviceAccount, Kinds.role, Kinds.roleBinding] {
            let o = try #require(r.applied(kind))
            #expect(o.name == "reg-registry-api" && o.labels == labels)
        }
        let rules = try #require(r.applied(Kinds.role)?.root["rules"]?.arrayValue)
        #expect(rules.count == 6)
        #expect(rules[5] == ["apiGroups": ["events.k8s.io"], "resources": ["events"], "verbs": ["create", "patch"]])
        #expect(rules[3] == ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]])
        let rb = try #require(r.applied(Kinds.roleBinding))
        #expect(rb.root["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reg-registry-api"])
        #expect(rb.root["subjects"] == [["kind": "ServiceAccount", "name": "reg-registry-api", "namespace": "toolhive-system"]])
        let d = try #require(r.applied(Kinds.deployment))
        #expect(d.name == "reg-api" && d.annotations.isEmpty)
        #expect(d[path: "spec.selector.matchLabels"] == ["app.kubernetes.io/name": "reg-api", "app.kubernetes.io/component": "registry-api"])
        let c = try #require(d[path: "spec.template.spec.containers"]?.arrayValue?.first)
        #expect(c["name"] == "registry-api" && c["image"] == "ghcr.io/stacklok/thv-registry-api:latest")
        #expect(c["args"] == ["serve", "--config=/config/config.yaml"])
        #expect(c["readinessProbe"] == ["httpGet": ["path": "/readiness", "port": 8081], "initialDelaySeconds": 5, "periodSeconds": 5])
        #expect(c["livenessProbe"] == ["httpGet": ["path": "/health", "port": 8081], "initialDelaySeconds": 30, "periodSeconds": 10])
        #expect(c["resources"] == ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "500m", "memory": "512Mi"]])
        #expect(d[path: "spec.template.spec.serviceAccountName"] == "reg-registry-api")
        let svc = try #require(r.applied(Kinds.service))
        #expect(svc.spec == ["type": "ClusterIP", "selector": ["app.kubernetes.io/name": "reg-api", "app.kubernetes.io/component": "registry-api"],
                             "ports": [["name": "http", "port": 8080, "targetPort": 8080, "protocol": "TCP"]]])
        // The image comes from the environment when set.
        let custom = F.reconcile([F.registry()], env: OperatorEnvironment(variables: ["TOOLHIVE_REGISTRY_API_IMAGE": "example.com/reg:1"], now: F.env.now))
        #expect(custom.applied(Kinds.deployment)?[path: "spec.template.spec.containers"]?.arrayValue?.first?["image"] == "example.com/reg:1")
    }

    @Test func podTemplateSpecHashAnnotationFollowsTheTemplate() throws {
        let tpl: Value = ["metadata": ["labels": ["team": "x"]]]
        let r = F.reconcile([F.registry(spec: ["configYAML": "x", "podTemplateSpec": tpl])])
        let d = try #require(r.applied(Kinds.deployment))
        #expect(d.annotations["toolhive.stacklok.io/podtemplatespec-hash"] == tpl.canonicalSHA256)
        #expect(d[path: "spec.template.metadata.labels"]?["team"] == "x")
        #expect(r.condition("PodTemplateValid")?.reason == "ValidPodTemplateSpec")
    }
}
