import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// Injects API server failures at a fixed rate from a seeded generator: 409 conflicts and 500s on
/// writes, 410 Gone / 504 / immediately dropped streams on watches, 500s on reads.
final class FaultInjector: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64
    private let rate: Double
    private(set) var injected: [String: Int] = [:]

    init(seed: UInt64, rate: Double) {
        state = seed
        self.rate = rate
    }

    private func roll() -> Double {
        // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    var total: Int { lock.withLock { injected.values.reduce(0, +) } }

    func intercept(_ r: HTTPRequest) -> HTTPResponse? {
        lock.withLock {
            guard r.path.hasPrefix("/api/") || r.path.hasPrefix("/apis/"), r.path.split(separator: "/").count > 3 else { return nil }
            let x = roll()
            guard x < rate else { return nil }
            let pick = x / rate  // uniform in [0, 1)
            let isWatch = r.query["watch"] == "true"
            let fault: (String, HTTPResponse)
            switch (r.method, isWatch) {
            case ("GET", true):
                if pick < 0.34 {
                    fault = ("gone", status(410, "Expired", "too old resource version"))
                } else if pick < 0.67 {
                    fault = ("dropped", HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream { _ in }))
                } else {
                    fault = ("timeout", status(504, "Timeout", "the server was unable to return a response in the time allotted"))
                }
            case ("GET", false):
                fault = ("500", status(500, "InternalError", "injected"))
            default:
                fault = pick < 0.5 ? ("409", status(409, "Conflict", "injected conflict")) : ("500", status(500, "InternalError", "injected"))
            }
            injected[fault.0, default: 0] += 1
            return fault.1
        }
    }

    private func status(_ code: Int, _ reason: String, _ message: String) -> HTTPResponse {
        let v: Value = ["kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": .string(reason), "message": .string(message), "code": .int(Int64(code))]
        return HTTPResponse(status: code, headers: [("Content-Type", "application/json")], body: .bytes(Array(JSONWriter.write(v, pretty: false).utf8)))
    }
}

@Suite(.serialized) struct FaultInjectionTests {
    static let curlMissing = CurlTransport.unavailableReason()

    @Test(.enabled(if: curlMissing == nil, "libcurl not loadable"))
    func sameEndStateUnderFaults() async throws {
        let faults = FaultInjector(seed: 7, rate: 0.25)
        let sandbox = SandboxServer(port: 0) { api in
            api.maxWatchSeconds = 30
            api.intercept = { faults.intercept($0) }
        }
        try sandbox.start()
        defer { sandbox.stop() }
        let client = APIClient(transport: CurlTransport(connection: ClusterConnection(server: sandbox.url, noProxy: "127.0.0.1")))
        let names = ["a", "b", "c"]
        func retrying<T: Sendable>(_ op: @Sendable () async throws -> T) async throws -> T {
            var last: (any Error)? = nil
            for _ in 0..<50 {
                do { return try await op() } catch { last = error }
            }
            throw last ?? ManagerError("unreachable")
        }
        for n in names {
            let g = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPGroup", namespace: "default", name: n)
            _ = try await retrying { try await client.create(g) }
        }

        var options = ManagerOptions()
        options.connection = ClusterConnection(server: sandbox.url, noProxy: "127.0.0.1")
        options.controllers = ControllerSet([GroupMarker()])
        options.probeAddress = nil
        options.leaderElection = true
        options.leaseNamespace = "default"
        options.identity = "faulty"
        options.environment = [:]
        options.workers = 2
        options.logFormat = .json
        let stop = Flag()
        let run = Task { () -> Bool in
            do {
                try await runManager(options: options, until: { while !stop.isSet { try? await Task.sleep(nanoseconds: 20_000_000) } })
                return true
            } catch { return false }
        }

        let store = sandbox.store
        let converged = await eventually(90) {
            names.allSatisfy { n in
                guard let g = try? store.get(ObjectKey(Kinds.mcpGroup, namespace: "default", name: n)) else { return false }
                return g.condition("Ready")?.status == .true && g.finalizers == [GroupMarker.finalizer]
                    && (try? store.get(ObjectKey(Kinds.configMap, namespace: "default", name: "\(n)-marker"))) != nil
            }
        }
        #expect(converged)
        // No duplicates: exactly one marker per group, each owned by its group.
        let markers = store.list(Kinds.configMap, namespace: "default").objects
        #expect(markers.map(\.name).sorted() == ["a-marker", "b-marker", "c-marker"])
        #expect(markers.allSatisfy { $0.ownerReferences.count == 1 })
        // No status lost: every group kept its phase.
        for n in names {
            #expect((try? store.get(ObjectKey(Kinds.mcpGroup, namespace: "default", name: n)))?.status["phase"] == "Ready")
        }

        for n in names {
            _ = try await retrying { try await client.delete(ObjectKey(Kinds.mcpGroup, namespace: "default", name: n)) }
        }
        let cleaned = await eventually(90) {
            store.list(Kinds.mcpGroup, namespace: "default").objects.isEmpty && store.list(Kinds.configMap, namespace: "default").objects.isEmpty
        }
        #expect(cleaned)
        stop.set()
        #expect(await run.value)
        #expect(faults.total > 10, "faults injected: \(faults.injected)")
        #expect(faults.injected["409", default: 0] > 0)
        #expect(faults.injected["gone", default: 0] + faults.injected["dropped", default: 0] > 0)
    }
}
