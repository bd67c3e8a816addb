import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct KubeconfigTests {
    static let full = """
        {"apiVersion": "v1", "kind": "Config", "current-context": "prod",
         "clusters": [
           {"name": "prod", "cluster": {"server": "https://10.0.0.1:6443", "certificate-authority-data": "Q0EtUEVN"}},
           {"name": "dev", "cluster": {"server": "https://127.0.0.1:6443", "certificate-authority": "certs/ca.crt", "insecure-skip-tls-verify": true}}
         ],
         "users": [
           {"name": "admin", "user": {"client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ"}},
           {"name": "bot", "user": {"tokenFile": "/var/run/token"}},
           {"name": "files", "user": {"client-certificate": "client.crt", "client-key": "/abs/client.key", "token": "t0k"}},
           {"name": "plugin", "user": {"exec": {"command": "aws"}}}
         ],
         "contexts": [
           {"name": "prod", "context": {"cluster": "prod", "user": "admin", "namespace": "ops"}},
           {"name": "dev", "context": {"cluster": "dev", "user": "files"}},
           {"name": "robot", "context": {"cluster": "prod", "user": "bot"}},
           {"name": "sso", "context": {"cluster": "prod", "user": "plugin"}},
           {"name": "broken", "context": {"cluster": "nowhere", "user": "admin"}}
         ]}
        """

    func config() throws -> Kubeconfig { try ConnectionResolver.parse(Self.full, path: "/home/me/.kube/config") }

    @Test func currentContextWithInlineData() throws {
        let c = try config().connection(context: nil, path: "cfg")
        #expect(c.server == "https://10.0.0.1:6443")
        #expect(c.namespace == "ops")
        #expect(c.tls.caPEM == Array("CA-PEM".utf8))
        #expect(c.tls.certPEM == Array("CERT".utf8))
        #expect(c.tls.keyPEM == Array("KEY".utf8))
        #expect(c.token == nil)
        #expect(c.tls.insecureSkipVerify == false)
    }

    @Test func wrappedBase64DataDecodes() throws {
        // Line breaks (wrapped PEM in a YAML block scalar) are skipped, not an error.
        let text = "clusters:\n- name: c\n  cluster:\n    server: https://x\n    certificate-authority-data: |\n      Q0Et\n      UEVN\n"
        let k = try ConnectionResolver.parse(text, path: "/tmp/k")
        #expect(k.clusters["c"]?.certificateAuthorityData == Array("CA-PEM".utf8))
    }

    @Test func explicitContextResolvesRelativeFiles() throws {
        let c = try config().connection(context: "dev", path: "cfg")
        #expect(c.tls.caFile == "/home/me/.kube/certs/ca.crt")
        #expect(c.tls.certFile == "/home/me/.kube/client.crt")
        #expect(c.tls.keyFile == "/abs/client.key")
        #expect(c.token == .literal("t0k"))
        #expect(c.tls.insecureSkipVerify)
        #expect(try config().connection(context: "robot", path: "cfg").token == .file("/var/run/token"))
    }

    @Test func badReferencesAreClearErrors() throws {
        let k = try config()
        #expect(throws: ConfigError(path: "cfg", message: "context \"nope\" not found")) { try k.connection(context: "nope", path: "cfg") }
        #expect(throws: ConfigError(path: "cfg", message: "context \"broken\": cluster \"nowhere\" not found")) { try k.connection(context: "broken", path: "cfg") }
        do {
            _ = try k.connection(context: "sso", path: "cfg")
            Issue.record("exec plugin accepted")
        } catch {
            #expect(error.description.hasPrefix("cfg: error: user \"plugin\": exec credential plugins are not supported"))
        }
    }

    @Test(arguments: [
        ("{\"clusters\": 3}", "clusters: expected a list, got an integer"),
        ("[1]", "a kubeconfig must be a map, got a list"),
        ("{\"kind\": \"Pod\"}", "kind must be Config, got Pod"),
        ("{\"clusters\": [{\"cluster\": {\"server\": \"https://x\"}}]}", "clusters[0].name: required"),
        ("{\"clusters\": [{\"name\": \"a\", \"cluster\": {}}]}", "clusters[a].cluster.server: required"),
        ("{\"users\": [{\"name\": \"u\", \"user\": {\"token\": 5}}]}", "users[u].user.token: expected a string, got an integer"),
        ("{\"users\": [{\"name\": \"u\", \"user\": {\"client-key-data\": \"***\"}}]}", "users[u].user.client-key-data: not valid base64"),
        ("clusters: [\n", "YAML"),
    ])
    func malformedFiles(text: String, message: String) {
        do {
            _ = try ConnectionResolver.parse(text, path: "/tmp/k")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.path == "/tmp/k")
            if message == "YAML" {
                // A syntax error: `LINE:COLUMN: what`.
                #expect(error.message.first?.isNumber == true && error.message.contains(":"), "\(error.message)")
            } else {
                #expect(error.message.hasPrefix(message), "\(error.message)")
            }
            #expect(error.description.hasPrefix("/tmp/k: error: "))
        }
    }

    @Test func yamlKubeconfig() throws {
        let yaml = """
            apiVersion: v1
            kind: Config
            current-context: kind
            clusters:
            - name: kind
              cluster:
                server: https://127.0.0.1:36443
                certificate-authority-data: Q0EtUEVN
            users:
            - name: kind
              user:
                token: abc
            contexts:
            - name: kind
              context: {cluster: kind, user: kind}
            """
        let c = try ConnectionResolver.parse(yaml, path: "k").connection(context: nil, path: "k")
        #expect(c.server == "https://127.0.0.1:36443")
        #expect(c.tls.caPEM == Array("CA-PEM".utf8))
        #expect(c.token == .literal("abc"))
    }

    @Test func noContextAnywhere() throws {
        let k = try ConnectionResolver.parse("{\"kind\": \"Config\"}", path: "p")
        #expect(throws: ConfigError(path: "p", message: "no current-context is set and no --context was given")) { try k.connection(context: nil, path: "p") }
    }

    @Test func kubeconfigListMergesFirstWins() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path
        let b = dir.appendingPathComponent("b").path
        try #"{"current-context": "x", "clusters": [{"name": "c", "cluster": {"server": "http://127.0.0.1:1"}}]}"#.write(toFile: a, atomically: true, encoding: .utf8)
        try #"{"current-context": "y", "clusters": [{"name": "c", "cluster": {"server": "http://127.0.0.1:2"}}], "contexts": [{"name": "x", "context": {"cluster": "c"}}]}"#.write(toFile: b, atomically: true, encoding: .utf8)
        let r = ConnectionResolver(environment: ["KUBECONFIG": "\(a):\(dir.path)/missing:\(b)", "KUBERNETES_SERVICE_HOST": "10.0.0.1"], home: nil)
        let c = try r.resolve()
        #expect(c.server == "http://127.0.0.1:1")
        #expect(c.noProxy?.contains("127.0.0.1") == true)
        // An explicit --kubeconfig that does not exist is an error naming the file.
        let explicit = ConnectionResolver(kubeconfigPath: "\(dir.path)/missing", environment: [:], home: nil)
        #expect(throws: ConfigError(path: "\(dir.path)/missing", message: "cannot read kubeconfig file")) { try explicit.resolve() }
    }

    @Test func inClusterServiceAccount() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "tok-1\n".write(toFile: dir.appendingPathComponent("token").path, atomically: true, encoding: .utf8)
        try "toolhive-system".write(toFile: dir.appendingPathComponent("namespace").path, atomically: true, encoding: .utf8)
        var r = ConnectionResolver(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "8443"], home: nil)
        r.serviceAccountDirectory = dir.path
        let c = try r.resolve()
        #expect(c.server == "https://[fd00::1]:8443")
        #expect(c.tls.caFile == dir.path + "/ca.crt")
        #expect(c.namespace == "toolhive-system")
        #expect(try c.bearerToken() == "tok-1")
        // A rotated token is picked up on the next request.
        try "tok-2".write(toFile: dir.appendingPathComponent("token").path, atomically: true, encoding: .utf8)
        #expect(try c.bearerToken() == "tok-2")

        var missing = ConnectionResolver(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1"], home: nil)
        missing.serviceAccountDirectory = dir.path + "/nope"
        #expect(throws: ConfigError.self) { try missing.resolve() }
    }
}
