import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct LeaderElectionAndLoggerTests {
    let t0 = WallTime(seconds: 1_767_225_600)

    func lease(holder: String, renewedAt: WallTime, duration: Int64 = 15, transitions: Int64 = 3) -> KubeObject {
        var l = KubeObject(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "ns", name: "lock")
        l.spec = ["holderIdentity": .string(holder), "leaseDurationSeconds": .int(duration), "acquireTime": "2026-01-01T00:00:00.000000Z",
                  "renewTime": .string(renewedAt.microTime), "leaseTransitions": .int(transitions)]
        return l
    }

    @Test func freshLeaseIsCreated() {
        let spec = LeaderElector.nextSpec(observed: nil, identity: "me", now: t0, leaseDurationSeconds: 15)
        #expect(spec == ["holderIdentity": "me", "leaseDurationSeconds": 15, "acquireTime": "2026-01-01T00:00:00.000000Z",
                         "renewTime": "2026-01-01T00:00:00.000000Z", "leaseTransitions": 0])
    }

    @Test func validLeaseOfAnotherHolderIsRespected() {
        #expect(LeaderElector.nextSpec(observed: lease(holder: "other", renewedAt: t0), identity: "me", now: t0.adding(seconds: 14), leaseDurationSeconds: 15) == nil)
    }

    @Test func expiredOrReleasedLeaseIsTakenOver() {
        let taken = LeaderElector.nextSpec(observed: lease(holder: "other", renewedAt: t0), identity: "me", now: t0.adding(seconds: 16), leaseDurationSeconds: 15)
        #expect(taken?["holderIdentity"] == "me")
        #expect(taken?["leaseTransitions"] == 4)
        let released = LeaderElector.nextSpec(observed: lease(holder: "", renewedAt: t0, duration: 1), identity: "me", now: t0, leaseDurationSeconds: 15)
        #expect(released?["holderIdentity"] == "me")
    }

    @Test func ownLeaseIsRenewedKeepingAcquireTime() {
        let renewed = LeaderElector.nextSpec(observed: lease(holder: "me", renewedAt: t0), identity: "me", now: t0.adding(seconds: 2), leaseDurationSeconds: 15)
        #expect(renewed?["renewTime"] == "2026-01-01T00:00:02.000000Z")
        #expect(renewed?["acquireTime"] == "2026-01-01T00:00:00.000000Z")
        #expect(renewed?["leaseTransitions"] == 3)
    }

    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        func add(_ s: String) { lock.withLock { lines.append(s) } }
    }

    @Test func logsAsTextOrJSON() throws {
        let out = Lines()
        Logger(format: .json, write: out.add).info("apply Deployment/default/x", [("object", "MCPServer/default/x"), ("reasons", "a \"quoted\"\nline")])
        Logger(format: .text, write: out.add).error("failed", [("object", "MCPServer/default/x"), ("why", "two words")])
        let json = try JSONReader.parse(out.lines[0])
        #expect(json["level"] == "info")
        #expect(json["msg"] == "apply Deployment/default/x")
        #expect(json["reasons"] == "a \"quoted\"\nline")
        #expect(out.lines[1] == "ERROR failed object=MCPServer/default/x why=\"two words\"")
    }
}
