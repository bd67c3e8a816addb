import Testing
@testable import ReconcileCore

@Suite struct MCPRegistryPodTemplateMergeTests {
    let defaults: Value = [
        "metadata": ["labels": ["app": "op", "keep": "op"], "annotations": ["h": "1"]],
        "spec": [
            "serviceAccountName": "op-sa",
            "imagePullSecrets": [["name": "op-pull"]],
            "containers": [[
                "name": "registry-api", "image": "op:1", "args": ["serve"],
                "ports": [["name": "http", "containerPort": 8080]],
                "env": [["name": "A", "value": "op"], ["name": "B", "value": "op"]],
                "resources": ["limits": ["cpu": "1"]],
                "readinessProbe": ["httpGet": ["port": 8081]],
                "volumeMounts": [["name": "cfg", "mountPath": "/config"]],
            ]],
            "volumes": [["name": "cfg", "configMap": ["name": "c"]], ["name": "extra", "emptyDir": [:]]],
        ],
    ]

    @Test func userWinsLabelsAndFillsFromDefaults() throws {
        let user: Value = [
            "metadata": ["labels": ["app": "user", "team": "t"]],
            "spec": [
                "serviceAccountName": "",
                "nodeSelector": ["zone": "a"],
                "containers": [
                    ["name": "sidecar", "image": "side:1"],
                    ["name": "registry-api", "args": ["serve", "--debug"],
                     "ports": [["name": "metrics", "containerPort": 9090], ["name": "alt", "containerPort": 8080]],
                     "env": [["name": "B", "value": "user"]],
                     "volumeMounts": [["name": "data", "mountPath": "/data"]]],
                ],
                "volumes": [["name": "data", "emptyDir": [:]], ["name": "extra", "secret": ["secretName": "s"]]],
            ],
        ]
        let merged = PodTemplateMerge.userFirst(defaults: defaults, user: user)
        #expect(merged[path: "metadata.labels"] == ["app": "user", "keep": "op", "team": "t"])
        #expect(merged[path: "metadata.annotations"] == ["h": "1"])
        #expect(merged[path: "spec.serviceAccountName"] == "op-sa", "an empty user value keeps the default")
        #expect(merged[path: "spec.nodeSelector"] == ["zone": "a"])
        #expect(merged[path: "spec.imagePullSecrets"] == [["name": "op-pull"]])
        let containers = try #require(merged[path: "spec.containers"]?.arrayValue)
        #expect(containers.compactMap { $0["name"]?.stringValue } == ["sidecar", "registry-api"])
        let api = containers[1]
        #expect(api["image"] == "op:1", "empty image filled from the default")
        #expect(api["args"] == ["serve", "--debug"], "user args kept")
        #expect(api["resources"] == ["limits": ["cpu": "1"]])
        #expect(api["readinessProbe"] == ["httpGet": ["port": 8081]])
        // Ports conflict by name or number: the default http/8080 loses to the user's alt/8080.
        #expect(api["ports"] == [["name": "metrics", "containerPort": 9090], ["name": "alt", "containerPort": 8080]])
        #expect(api["env"] == [["name": "B", "value": "user"], ["name": "A", "value": "op"]])
        #expect(api["volumeMounts"] == [["name": "data", "mountPath": "/data"], ["name": "cfg", "mountPath": "/config"]])
        #expect(merged[path: "spec.volumes"] == [["name": "data", "emptyDir": [:]], ["name": "extra", "secret": ["secretName": "s"]], ["name": "cfg", "configMap": ["name": "c"]]])
    }

    @Test func userListsAndServiceAccountReplace() {
        let user: Value = ["spec": ["serviceAccountName": "mine", "imagePullSecrets": [["name": "u"]], "containers": [["name": "other"]]]]
        let merged = PodTemplateMerge.userFirst(defaults: defaults, user: user)
        #expect(merged[path: "spec.serviceAccountName"] == "mine")
        #expect(merged[path: "spec.imagePullSecrets"] == [["name": "u"]])
        // User-only containers first, default-only appended.
        #expect(merged[path: "spec.containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["other", "registry-api"])
        // An empty user imagePullSecrets list keeps the defaults.
        let empty = PodTemplateMerge.userFirst(defaults: defaults, user: ["spec": ["imagePullSecrets": []]])
        #expect(empty[path: "spec.imagePullSecrets"] == [["name": "op-pull"]])
    }

    @Test func userResourcesWinOnlyWhenSet() {
        let withRequests: Value = ["spec": ["containers": [["name": "registry-api", "resources": ["requests": ["cpu": "2"]]]]]]
        let a = PodTemplateMerge.userFirst(defaults: defaults, user: withRequests)
        #expect(a[path: "spec.containers"]?.arrayValue?.first?["resources"] == ["requests": ["cpu": "2"]])
        let emptyRes: Value = ["spec": ["containers": [["name": "registry-api", "resources": [:]]]]]
        let b = PodTemplateMerge.userFirst(defaults: defaults, user: emptyRes)
        #expect(b[path: "spec.containers"]?.arrayValue?.first?["resources"] == ["limits": ["cpu": "1"]])
    }

    @Test func emptyUserTemplateKeepsDefaults() {
        #expect(PodTemplateMerge.userFirst(defaults: defaults, user: [:]) == defaults)
    }
}
