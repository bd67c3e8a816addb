import Testing
@testable import ReconcileCore

@Suite struct MCPRegistryReconcilerTests {
    typealias F = RegistryFixture

    @Test func firstReconcileCreatesEverythingAndIsPending() throws {
        let r = F.reconcile([F.registry(finalizers: [])])
        #expect(r.ops == [
            "addFinalizer MCPRegistry", "apply ConfigMap", "apply ServiceAccount", "apply Role", "apply RoleBinding",
            "apply Deployment", "apply Service", "patchStatus MCPRegistry",
        ])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Pending")
        #expect(status["message"] == "Registry API deployment is not ready yet")
        #expect(status["url"] == nil)
        #expect(status["readyReplicas"] == nil)
        #expect(status["observedGeneration"] == 1)
        let ready = try #require(ConditionList(status: status)["Ready"])
        #expect(ready.status == .false && ready.reason == "NotReady" && ready.observedGeneration == 1)
        #expect(ready.lastTransitionTime == F.env.now.rfc3339)
        #expect(ConditionList(status: status)["PodTemplateValid"] == nil)
        #expect(r.requeueAfterSeconds == 30)
        #expect(r.events == [Event(.warning, reason: "MCPRegistryDeprecated", message: MCPRegistry.deprecationMessage)])
        // Created with one replica.
        #expect(r.applied(Kinds.deployment)?.spec["replicas"] == 1)
    }

    @Test func deploymentMissingIsPendingAndClearsURL() throws {
        let was: Value = ["phase": "Ready", "url": "http://reg-api.toolhive-system:8080", "readyReplicas": 1, "observedGeneration": 1]
        let reg = F.registry(status: was)
        let r = F.reconcile([reg])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Pending")
        #expect(status["url"] == nil)
        #expect(status["readyReplicas"] == nil)
        #expect(r.requeueAfterSeconds == 30)
        #expect(r.events.isEmpty, "generation already observed: no deprecation event")
    }

    @Test func deploymentPresentWithZeroReadyIsPending() throws {
        let reg = F.registry()
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 0)])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Pending")
        #expect(ConditionList(status: status)["Ready"]?.reason == "NotReady")
        #expect(r.requeueAfterSeconds == 30)
        // The existing Deployment is updated without touching replicas (an HPA may own them).
        let d = try #require(r.applied(Kinds.deployment))
        #expect(d.spec["replicas"] == nil)
    }

    @Test func readyDeploymentGivesReadyURLAndReplicas() throws {
        let reg = F.registry()
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 2)])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Ready")
        #expect(status["message"] == "Registry API is ready and serving requests")
        #expect(status["url"] == "http://reg-api.toolhive-system:8080")
        #expect(status["readyReplicas"] == 2)
        let ready = try #require(ConditionList(status: status)["Ready"])
        #expect(ready.status == .true && ready.reason == "Ready" && ready.message == "Registry API is ready and serving requests")
        #expect(r.requeueAfterSeconds == nil)
    }

    /// Review item 2: the one readiness reading decides phase, URL, readyReplicas and requeue together.
    @Test(arguments: [nil, 0, 1, 3] as [Int64?], [true, false])
    func readinessDecidesStatusAndRequeueTogether(readyReplicas: Int64?, deploymentExists: Bool) throws {
        let reg = F.registry()
        let objects = deploymentExists ? [reg, F.deployment(for: reg, readyReplicas: readyReplicas)] : [reg]
        let r = F.reconcile(objects)
        let status = try #require(r.statusPatch)
        let ready = deploymentExists && (readyReplicas ?? 0) > 0
        #expect(status["phase"] == (ready ? "Ready" : "Pending"))
        #expect((status["url"] != nil) == ready)
        #expect(ConditionList(status: status)["Ready"]?.status == (ready ? .true : .false))
        #expect(status["readyReplicas"]?.intValue ?? 0 == (deploymentExists ? readyReplicas ?? 0 : 0))
        #expect(r.requeueAfterSeconds == (ready ? nil : 30))
    }

    @Test func readyToPendingClearsURL() throws {
        var s = F.readyWorld()
        let regReady = try #require(s.get(F.key()))
        #expect(regReady.status["url"] == "http://reg-api.toolhive-system:8080")
        s = F.settingReady(0, in: s)
        let r = F.reconciler.reconcile(s, key: F.key(), env: F.env)
        #expect(r.ops == ["patchStatus MCPRegistry"])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Pending" && status["url"] == nil && status["readyReplicas"] == nil)
        let ready = try #require(ConditionList(status: status)["Ready"])
        #expect(ready.status == .false)
        #expect(ready.lastTransitionTime == F.env.now.rfc3339)
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func readyToFailedClearsURLAndNamesTheChild() throws {
        var s = F.readyWorld()
        // Someone else takes the Service name over.
        var svc = try #require(s.get(Kinds.service, namespace: F.namespace, name: "reg-api"))
        svc.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Other", name: "intruder", uid: "u-2")]
        s.upsert(svc)
        s = F.editingSpec(["configYAML": "changed: true\n"], in: s)
        let r = F.reconciler.reconcile(s, key: F.key(), env: F.env)
        #expect(r.ops == ["apply ConfigMap", "apply Deployment", "patchStatus MCPRegistry"])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Failed")
        #expect(status["url"] == nil)
        #expect(status["message"] == "Failed to ensure service: Service toolhive-system/reg-api is already controlled by Other intruder")
        #expect(status["readyReplicas"] == 1, "the Deployment's real count is reported")
        let ready = try #require(ConditionList(status: status)["Ready"])
        #expect(ready.status == .false && ready.reason == "ServiceFailed")
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func invalidPodTemplateFailsWithoutTouchingChildren() throws {
        let spec: Value = ["configYAML": "x: 1\n", "podTemplateSpec": ["spec": ["containers": "x"]]]
        let reg = F.registry(spec: spec)
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 1)])
        #expect(r.ops == ["patchStatus MCPRegistry"])
        let status = try #require(r.statusPatch)
        let msg = "Failed to parse PodTemplateSpec: failed to unmarshal PodTemplateSpec: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container. Deployment blocked until fixed."
        #expect(status["phase"] == "Failed")
        #expect(status["message"] == .string("Invalid PodTemplateSpec: " + msg))
        #expect(status["url"] == nil)
        #expect(ConditionList(status: status)["PodTemplateValid"] == Condition(type: "PodTemplateValid", status: .false, reason: "InvalidPodTemplateSpec", message: msg, observedGeneration: 1, lastTransitionTime: F.env.now.rfc3339))
        #expect(ConditionList(status: status)["Ready"]?.reason == "InvalidPodTemplateSpec")
        #expect(r.requeueAfterSeconds == nil)
    }

    @Test func userLabelBreakingTheSelectorFailsTheDeployment() throws {
        let spec: Value = ["configYAML": "x\n", "podTemplateSpec": ["metadata": ["labels": ["app.kubernetes.io/name": "mine"]]]]
        let r = F.reconcile([F.registry(spec: spec)])
        // ConfigMap and RBAC are written, then the Deployment step fails; the Service is not reached.
        #expect(r.ops == ["apply ConfigMap", "apply ServiceAccount", "apply Role", "apply RoleBinding", "patchStatus MCPRegistry"])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Failed")
        #expect(ConditionList(status: status)["Ready"]?.reason == "DeploymentFailed")
        #expect(status["message"] == "Failed to ensure deployment: Deployment toolhive-system/reg-api is invalid: spec.template.metadata.labels: `selector` does not match template `labels` (app.kubernetes.io/name)")
        #expect(ConditionList(status: status)["PodTemplateValid"]?.status == .true, "the template decodes; it is the merged Deployment that is rejected")
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func invalidPodTemplateIsStillDeletable() throws {
        let spec: Value = ["configYAML": "x: 1\n", "podTemplateSpec": "not a template", "volumes": [["name": "registry-server-config"]]]
        let r = F.reconcile([F.registry(spec: spec, deleting: true)])
        #expect(r.ops == ["patchStatus MCPRegistry", "removeFinalizer MCPRegistry"])
        let status = try #require(r.statusPatch)
        #expect(status["phase"] == "Terminating")
        #expect(status["message"] == "MCPRegistry is being terminated")
        #expect(ConditionList(status: status)["Ready"]?.reason == "NotReady")
        #expect(ConditionList(status: status)["PodTemplateValid"]?.status == .false)
        #expect(r.requeueAfterSeconds == nil)
        #expect(r.events.isEmpty)
    }

    @Test func deletionWithFinalizerOnlyReleasesIt() throws {
        let reg = F.registry(status: ["phase": "Ready", "url": "http://reg-api.toolhive-system:8080", "observedGeneration": 1], deleting: true)
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 1)])
        #expect(r.ops == ["patchStatus MCPRegistry", "removeFinalizer MCPRegistry"])
        #expect(r.statusPatch?["url"] == nil)
        // Without the finalizer there is nothing left to do.
        let gone = F.reconcile([F.registry(finalizers: [], deleting: true)])
        #expect(gone.isNoop && gone.requeueAfterSeconds == nil)
    }

    @Test func nullPodTemplateSpecCountsAsAbsent() throws {
        let r = F.reconcile([F.registry(spec: ["configYAML": "x\n", "podTemplateSpec": nil])])
        #expect(r.condition("PodTemplateValid") == nil)
        #expect(r.applied(Kinds.deployment)?.annotations["toolhive.stacklok.io/podtemplatespec-hash"] == nil)
        #expect(r.statusPatch?["phase"] == "Pending")
    }

    @Test func missingRegistryIsANoop() {
        let r = F.reconcile([])
        #expect(r.isNoop)
        #expect(r.object.name == "reg")
    }

    @Test func podTemplateValidTracksFixesAndRemoval() throws {
        // Invalid first.
        let bad: Value = ["configYAML": "x: 1\n", "podTemplateSpec": ["metadata": ["labels": ["a": 1]]]]
        var s = Snapshot([F.registry(spec: bad)])
        s = F.applying(F.reconciler.reconcile(s, key: F.key(), env: F.env), to: s)
        #expect(s.get(F.key())?.condition("PodTemplateValid")?.status == .false)
        // Fixed: True, with a new transition time.
        let later = OperatorEnvironment(now: F.env.now.adding(seconds: 60))
        s = F.editingSpec(["configYAML": "x: 1\n", "podTemplateSpec": ["metadata": ["labels": ["a": "1"]]]], in: s)
        s = F.applying(F.reconciler.reconcile(s, key: F.key(), env: later), to: s)
        let valid = try #require(s.get(F.key())?.condition("PodTemplateValid"))
        #expect(valid == Condition(type: "PodTemplateValid", status: .true, reason: "ValidPodTemplateSpec", message: "PodTemplateSpec is valid", observedGeneration: 2, lastTransitionTime: later.now.rfc3339))
        #expect(s.get(F.key())?.status["phase"] == "Pending")
        // Removed: the condition goes away rather than staying True for a template that is gone.
        s = F.editingSpec(["configYAML": "x: 1\n"], in: s)
        s = F.applying(F.reconciler.reconcile(s, key: F.key(), env: later), to: s)
        #expect(s.get(F.key())?.condition("PodTemplateValid") == nil)
        #expect(s.get(F.key())?.condition("Ready")?.observedGeneration == 3)
    }

    @Test func configChangeRollsTheDeployment() throws {
        var s = F.readyWorld()
        let oldDeployment = try #require(s.get(Kinds.deployment, namespace: F.namespace, name: "reg-api"))
        let oldHash = oldDeployment[path: "spec.template.metadata.annotations"]?["toolhive.stacklok.dev/config-hash"]
        s = F.editingSpec(["configYAML": "sources: []\n"], in: s)
        let r = F.reconciler.reconcile(s, key: F.key(), env: F.env)
        #expect(r.ops == ["apply ConfigMap", "apply Deployment", "patchStatus MCPRegistry"])
        let cm = try #require(r.applied(Kinds.configMap))
        #expect(cm.root["data"]?["config.yaml"] == "sources: []\n")
        #expect(cm.annotations["toolhive.stacklok.dev/content-checksum"] == SHA256.hex("sources: []\n"))
        let d = try #require(r.applied(Kinds.deployment))
        let newHash = d[path: "spec.template.metadata.annotations"]?["toolhive.stacklok.dev/config-hash"]
        #expect(newHash == s.get(F.key()).map { .string($0.spec.canonicalSHA256) })
        #expect(newHash != oldHash)
        #expect(d.spec["replicas"] == nil)
        // Still serving from the old pods while they roll: Ready, with observedGeneration 2.
        #expect(r.statusPatch?["phase"] == "Ready")
        #expect(r.statusPatch?["observedGeneration"] == 2)
        #expect(r.events.count == 1)
    }

    @Test func steadyStateWritesNothing() throws {
        var s = Snapshot([F.registry(finalizers: [])])
        s = F.applying(F.reconcile(Array(s.allObjects)), to: s)
        // Not ready yet: nothing to write, but come back in 30 s.
        let waiting = F.reconciler.reconcile(s, key: F.key(), env: OperatorEnvironment(now: F.env.now.adding(seconds: 30)))
        #expect(waiting.actions.isEmpty && waiting.events.isEmpty)
        #expect(waiting.requeueAfterSeconds == 30)
        s = F.settingReady(1, in: s)
        s = F.applying(F.reconciler.reconcile(s, key: F.key(), env: F.env), to: s)
        let later = OperatorEnvironment(now: F.env.now.adding(seconds: 3600))
        let steady = F.reconciler.reconcile(s, key: F.key(), env: later)
        #expect(steady.isNoop)
        #expect(steady.requeueAfterSeconds == nil)
    }

    @Test func apiPortIsOneConstantEverywhere() throws {
        let reg = F.registry()
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 1)])
        let svcPort = try #require(r.applied(Kinds.service)?[path: "spec.ports"]?.arrayValue?.first)
        #expect(svcPort["port"] == .int(MCPRegistry.apiPort) && svcPort["targetPort"] == .int(MCPRegistry.apiPort))
        let container = try #require(r.applied(Kinds.deployment)?[path: "spec.template.spec.containers"]?.arrayValue?.first)
        #expect(container["ports"]?.arrayValue?.first?["containerPort"] == .int(MCPRegistry.apiPort))
        #expect(r.statusPatch?["url"] == .string("http://reg-api.toolhive-system:\(MCPRegistry.apiPort)"))
        #expect(MCPRegistry.apiPort == 8080)
        #expect(container[path: "readinessProbe.httpGet.port"] == 8081)
        #expect(container[path: "livenessProbe.httpGet.port"] == 8081)
    }

    @Test func legacyRunningPhaseReadsAsReady() {
        let s = MCPRegistryStatus(reading: ["phase": "Running", "url": "u", "readyReplicas": 3])
        #expect(s.phase == "Ready")
        #expect(s.readyReplicas == 3)
        // And a stored legacy status is rewritten in the current shape.
        let reg = F.registry(status: ["phase": "Running", "observedGeneration": 1, "syncStatus": ["phase": "Complete"]])
        let r = F.reconcile([reg, F.deployment(for: reg, readyReplicas: 1)])
        #expect(r.statusPatch?["phase"] == "Ready")
        #expect(r.statusPatch?["syncStatus"] == nil)
    }

    @Test func shuffledInputGivesTheSameResult() throws {
        let spec: Value = [
            "configYAML": "a: 1\n", "displayName": "X",
            "volumes": [["name": "data", "configMap": ["name": "cm", "items": [["key": "k", "path": "p"]]]]],
            "volumeMounts": [["name": "data", "mountPath": "/data", "readOnly": true]],
            "pgpassSecretRef": ["name": "pg", "key": ".pgpass"],
            "podTemplateSpec": ["metadata": ["labels": ["team": "a", "tier": "b"]], "spec": ["nodeSelector": ["zone": "z", "disk": "ssd"]]],
        ]
        let shuffled: Value = [
            "podTemplateSpec": ["spec": ["nodeSelector": ["disk": "ssd", "zone": "z"]], "metadata": ["labels": ["tier": "b", "team": "a"]]],
            "pgpassSecretRef": ["key": ".pgpass", "name": "pg"],
            "volumeMounts": [["readOnly": true, "mountPath": "/data", "name": "data"]],
            "volumes": [["configMap": ["items": [["path": "p", "key": "k"]], "name": "cm"], "name": "data"]],
            "displayName": "X", "configYAML": "a: 1\n",
        ]
        let a = F.registry(spec: spec)
        let b = F.registry(spec: shuffled)
        let other = F.registry(name: "other")
        let r1 = F.reconciler.reconcile(Snapshot([a, F.deployment(for: a, readyReplicas: 1), other]), key: F.key(), env: F.env)
        let r2 = F.reconciler.reconcile(Snapshot([other, F.deployment(for: b, readyReplicas: 1), b]), key: F.key(), env: F.env)
        #expect(r1 == r2)
        let h1 = r1.applied(Kinds.deployment)?[path: "spec.template.metadata.annotations"]
        let h2 = r2.applied(Kinds.deployment)?[path: "spec.template.metadata.annotations"]
        #expect(h1 != nil && h1 == h2)
        #expect(r1.applied(Kinds.deployment)?.annotations == r2.applied(Kinds.deployment)?.annotations)
        // And the order objects arrive in never matters (the shared seeded-shuffle check).
        let reg = F.registry(spec: spec)
        let svc = RegistryObjectsBuilder.service(for: reg)
        MCPTestObjects.expectOrderIndependent([reg, F.deployment(for: reg, readyReplicas: 1), other, svc], seed: 4) {
            F.reconciler.reconcile(Snapshot($0), key: F.key(), env: F.env)
        }
    }

    @Test func imagePullSecretsMergeIntoDeploymentAndServiceAccount() throws {
        let env = OperatorEnvironment(defaultImagePullSecrets: ["org", "shared"])
        let spec: Value = ["configYAML": "x\n", "imagePullSecrets": [["name": "mine"], ["name": "shared"]]]
        let r = F.reconcile([F.registry(spec: spec)], env: env)
        let expected: Value = [["name": "mine"], ["name": "shared"], ["name": "org"]]
        #expect(r.applied(Kinds.serviceAccount)?.root["imagePullSecrets"] == expected)
        #expect(r.applied(Kinds.deployment)?[path: "spec.template.spec.imagePullSecrets"] == expected)
        // A podTemplateSpec list replaces the Deployment's list only; the SA keeps the spec's.
        let withTemplate: Value = ["configYAML": "x\n", "imagePullSecrets": [["name": "mine"]], "podTemplateSpec": ["spec": ["imagePullSecrets": [["name": "tpl"]]]]]
        let r2 = F.reconcile([F.registry(spec: withTemplate)], env: env)
        #expect(r2.applied(Kinds.deployment)?[path: "spec.template.spec.imagePullSecrets"] == [["name": "tpl"]])
        #expect(r2.applied(Kinds.serviceAccount)?.root["imagePullSecrets"] == [["name": "mine"], ["name": "org"], ["name": "shared"]])
        // No list at all: the SA gets none written.
        let r3 = F.reconcile([F.registry()])
        #expect(r3.applied(Kinds.serviceAccount)?.root["imagePullSecrets"] == nil)
    }

    /// §4.6: `Owns` on every child kind; a change to any of them enqueues the registry, nothing else does.
    @Test func ownedObjectsEnqueueTheirRegistry() throws {
        let reg = F.registry(finalizers: [])
        let r = F.reconcile([reg])
        let snapshot = Snapshot([reg])
        for child in r.appliedObjects {
            let requests = WatchMapping.requests(changed: child, previous: nil, snapshot: snapshot, controllers: ControllerSet([F.reconciler]), env: F.env)
            #expect(requests == [ReconcileRequest(controller: "MCPRegistry", key: F.key())], "\(child.kind)")
        }
        #expect(r.appliedObjects.count == 6)
        let stranger = KubeObject(apiVersion: "v1", kind: "Secret", namespace: F.namespace, name: "my-pgpass")
        #expect(WatchMapping.requests(changed: stranger, previous: nil, snapshot: snapshot, controllers: ControllerSet([F.reconciler]), env: F.env).isEmpty)
    }

    @Test func controllerIsRegistered() {
        #expect(ControllerSet.all.reconciler(for: Kinds.mcpRegistry)?.name == "MCPRegistry")
    }
}
