import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite(.serialized) struct CurlTransportTests {
    static let curlMissing = CurlTransport.unavailableReason()

    @Test(.enabled(if: curlMissing == nil, "libcurl not loadable"))
    func plainHTTPAgainstTheSandbox() async throws {
        let sandbox = SandboxServer(port: 0)
        try sandbox.start()
        defer { sandbox.stop() }
        let t = CurlTransport(connection: ClusterConnection(server: sandbox.url, token: .literal("abc"), noProxy: "127.0.0.1"))
        let path = ResourceCatalog.standard.resource(for: Kinds.configMap)?.collectionPath(namespace: "default") ?? ""
        let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"1"}}"#.utf8)
        let created = try await t.send(APIRequest(method: "POST", path: path, headers: ["Content-Type": "application/json"], body: body))
        #expect(created.status == 201)
        #expect(try JSONReader.parse(bytes: created.body)[path: "metadata.uid"] != nil)

        let missing = try await t.send(APIRequest(method: "GET", path: path + "/nope"))
        #expect(missing.status == 404)
        #expect(try JSONReader.parse(bytes: missing.body)["reason"] == "NotFound")

        // A watch streams: the event for a later write arrives on the open stream.
        let stream = try await t.stream(APIRequest(method: "GET", path: path + "?watch=true&resourceVersion=0&timeoutSeconds=5", timeoutSeconds: nil))
        #expect(stream.status == 200)
        var decoder = WatchEventDecoder()
        var seen: [WatchEvent] = []
        let second = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y"}}"#.utf8)
        _ = try await t.send(APIRequest(method: "POST", path: path, headers: ["Content-Type": "application/json"], body: second))
        for try await chunk in stream.body {
            seen += decoder.feed(chunk)
            if seen.count >= 2 { break }
        }
        let names = seen.compactMap { e -> String? in if case .added(let o) = e { return o.name } else { return nil } }
        #expect(names == ["x", "y"])
    }

    @Test(.enabled(if: curlMissing == nil, "libcurl not loadable"))
    func connectionRefusedIsAnError() async {
        // Port 9 (discard) on loopback is not served here.
        let t = CurlTransport(connection: ClusterConnection(server: "http://127.0.0.1:9", noProxy: "127.0.0.1"))
        await #expect(throws: TransportError.self) { _ = try await t.send(APIRequest(method: "GET", path: "/api")) }
    }

    static let tlsTools: Bool = ProcessRunner.which("openssl") != nil && ProcessRunner.which("python3") != nil

    /// A python3 `ssl` server that requires a client certificate signed by a CA generated here.
    @Test(.enabled(if: curlMissing == nil && tlsTools, "needs libcurl, openssl and python3"))
    func customCAAndClientCertificate() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = try await TestPKI.make(dir: dir)
        let server = try await TLSTestServer.start(pki: pki, dir: dir)
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)"

        let withFiles = CurlTransport(connection: ClusterConnection(
            server: url, token: .literal("secret-token"),
            tls: TLSSettings(caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey), noProxy: "127.0.0.1"))
        let r1 = try await withFiles.send(APIRequest(method: "GET", path: "/api"))
        #expect(r1.status == 200)
        let v1 = try JSONReader.parse(bytes: r1.body)
        #expect(v1["client"] == "test-client")
        #expect(v1["auth"] == "Bearer secret-token")

        // The kubeconfig `-data` form: PEM bytes, no files.
        let read = { (p: String) in [UInt8](FileManager.default.contents(atPath: p) ?? Data()) }
        let withData = CurlTransport(connection: ClusterConnection(
            server: url, tls: TLSSettings(caPEM: read(pki.caCert), certPEM: read(pki.clientCert), keyPEM: read(pki.clientKey)), noProxy: "127.0.0.1"))
        let r2 = try await withData.send(APIRequest(method: "GET", path: "/api"))
        #expect(r2.status == 200)
        #expect(try JSONReader.parse(bytes: r2.body)["client"] == "test-client")

        // Without the CA the server is not trusted; without a client certificate the server refuses.
        let noCA = CurlTransport(connection: ClusterConnection(server: url, tls: TLSSettings(certFile: pki.clientCert, keyFile: pki.clientKey), noProxy: "127.0.0.1"))
        await #expect(throws: TransportError.self) { _ = try await noCA.send(APIRequest(method: "GET", path: "/api", timeoutSeconds: 10)) }
        let noCert = CurlTransport(connection: ClusterConnection(server: url, tls: TLSSettings(caFile: pki.caCert), noProxy: "127.0.0.1"))
        await #expect(throws: TransportError.self) { _ = try await noCert.send(APIRequest(method: "GET", path: "/api", timeoutSeconds: 10)) }
    }
}

/// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
struct TestPKI {
    let caCert, caKey, serverCert, serverKey, clientCert, clientKey: String

    static func make(dir: URL) async throws -> TestPKI {
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let pki = TestPKI(caCert: p("ca.crt"), caKey: p("ca.key"), serverCert: p("server.crt"), serverKey: p("server.key"),
                          clientCert: p("client.crt"), clientKey: p("client.key"))
        let (caCert, caKey, serverCert, serverKey, clientCert, clientKey) = (pki.caCert, pki.caKey, pki.serverCert, pki.serverKey, pki.clientCert, pki.clientKey)
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: p("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: p("client.ext"), atomically: true, encoding: .utf8)
        let openssl = ProcessRunner.which("openssl") ?? "/usr/bin/openssl"
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCert, "-subj", "/CN=test-ca", "-days", "1"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", p("server.csr"), "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", p("server.csr"), "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-out", serverCert, "-days", "1", "-extfile", p("server.ext")],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKey, "-out", p("client.csr"), "-subj", "/CN=test-client"],
            ["x509", "-req", "-in", p("client.csr"), "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-out", clientCert, "-days", "1", "-extfile", p("client.ext")],
        ]
        for args in steps {
            let r = await ProcessRunner.run(openssl, args, timeout: 30)
            guard r.status == 0 else { throw ConfigError(path: "openssl", message: r.stderr) }
        }
        return pki
    }
}

/// python3's `ssl` HTTPS server on 127.0.0.1 with client-certificate verification required.
final class TLSTestServer: @unchecked Sendable {
    let process: Process
    let port: Int

    init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(pki: TestPKI, dir: URL) async throws -> TLSTestServer {
        let process = Process()
        let portFile = dir.appendingPathComponent("port").path
        let script = """
            import http.server, ssl, time
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    cert = self.connection.getpeercert() or {}
                    cn = dict(x[0] for x in cert.get('subject', ()))['commonName']
                    body = ('{"client": "%s", "auth": "%s"}' % (cn, self.headers.get('Authorization', ''))).encode()
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *a):
                    pass
            srv = http.server.HTTPServer(('127.0.0.1', 0), H)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain('\(pki.serverCert)', '\(pki.serverKey)')
            ctx.load_verify_locations('\(pki.caCert)')
            ctx.verify_mode = ssl.CERT_REQUIRED
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
            srv.timeout = 0.5
            with open('\(portFile).tmp', 'w') as f:
                f.write(str(srv.server_address[1]))
            import os
            os.rename('\(portFile).tmp', '\(portFile)')
            deadline = time.time() + 30
            while time.time() < deadline:
                srv.handle_request()
            """
        let scriptPath = dir.appendingPathComponent("server.py").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: ProcessRunner.which("python3") ?? "/usr/bin/python3")
        process.arguments = [scriptPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if let d = FileManager.default.contents(atPath: portFile), let n = Int(String(decoding: d, as: UTF8.self)) {
                return TLSTestServer(process: process, port: n)
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw ConfigError(path: scriptPath, message: "TLS test server did not start")
    }

    func stop() {
        // SIGKILL: the server loop sits in a blocking accept that SIGTERM from here did not end.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
