import Testing
import ReconcileCore
@testable import KubeAdapter

@Suite struct WorkQueueTests {
    func req(_ name: String) -> ReconcileRequest {
        ReconcileRequest(controller: "MCPServer", key: ObjectKey(Kinds.mcpServer, namespace: "default", name: name))
    }

    @Test func backoffDoublesFromFiveMillisecondsToCap() {
        var b = ItemExponentialBackoff()
        let k = req("a")
        #expect(b.when(k) == 0.005)
        #expect(b.when(k) == 0.01)
        #expect(b.when(k) == 0.02)
        #expect(b.retries(k) == 3)
        for _ in 0..<40 { _ = b.when(k) }
        #expect(b.when(k) == 1000)
        // Other keys are independent; forget resets.
        #expect(b.when(req("b")) == 0.005)
        b.forget(k)
        #expect(b.when(k) == 0.005)
    }

    @Test func tokenBucketAllowsBurstThenTenPerSecond() {
        var t = TokenBucket()
        for _ in 0..<100 { #expect(t.reserve(now: 0) == 0) }
        #expect(abs(t.reserve(now: 0) - 0.1) < 1e-9)
        #expect(abs(t.reserve(now: 0) - 0.2) < 1e-9)
        // One second later ten tokens have come back, but two were already lent out.
        #expect(t.reserve(now: 1.0) == 0)
        var fresh = TokenBucket()
        for _ in 0..<100 { _ = fresh.reserve(now: 0) }
        #expect(fresh.reserve(now: 0.5) == 0)
    }

    @Test func rateLimiterTakesTheLargerDelay() {
        var r = ControllerRateLimiter(bucket: TokenBucket(ratePerSecond: 10, burst: 1))
        #expect(r.when(req("a"), now: 0) == 0.005)
        #expect(abs(r.when(req("b"), now: 0) - 0.1) < 1e-9)
    }

    @Test func duplicatesAreCollapsed() {
        var q = WorkQueueState()
        q.add(req("a"))
        q.add(req("a"))
        q.add(req("b"))
        #expect(q.depth == 2)
        #expect(q.addsTotal == 2)
        #expect(q.next(now: 0) == req("a"))
        #expect(q.next(now: 0) == req("b"))
        #expect(q.next(now: 0) == nil)
    }

    @Test func aKeyIsNeverProcessedTwiceAtOnce() {
        var q = WorkQueueState()
        q.add(req("a"))
        let first = q.next(now: 0)
        #expect(first == req("a"))
        q.add(req("a"))  // changed while being reconciled
        #expect(q.next(now: 0) == nil)
        q.done(req("a"))
        #expect(q.next(now: 0) == req("a"))
        q.done(req("a"))
        #expect(q.next(now: 0) == nil)
        #expect(q.processing.isEmpty)
    }

    @Test func delayedAddsKeepTheEarliestTime() {
        var q = WorkQueueState()
        q.add(req("a"), after: 30, now: 0)
        q.add(req("a"), after: 10, now: 0)
        q.add(req("a"), after: 60, now: 0)
        #expect(q.nextWakeup == 10)
        #expect(q.next(now: 9.9) == nil)
        #expect(q.next(now: 10) == req("a"))
        #expect(q.nextWakeup == nil)
    }

    @Test func failuresBackOffAndSuccessForgets() {
        var q = WorkQueueState()
        let k = req("a")
        q.add(k)
        _ = q.next(now: 0)
        q.addRateLimited(k, now: 0)
        q.done(k)
        #expect(q.next(now: 0.004) == nil)
        #expect(q.next(now: 0.005) == k)
        q.addRateLimited(k, now: 1)
        q.done(k)
        #expect(q.next(now: 1.009) == nil)
        #expect(q.next(now: 1.010) == k)
        #expect(q.retriesTotal == 2)
        q.forget(k)
        q.done(k)
        q.addRateLimited(k, now: 2)
        #expect(q.nextWakeup == 2.005)
    }

    @Test func shutDownDropsNewWork() {
        var q = WorkQueueState()
        q.add(req("a"), after: 5, now: 0)
        q.shutDown()
        q.add(req("b"))
        #expect(q.next(now: 10) == nil)
    }

    @Test func liveQueueHandsOutReadyAndDelayedKeys() async {
        let q = WorkQueue()
        await q.add(req("a"))
        await q.add(req("b"), after: 0.02)
        #expect(await q.get() == req("a"))
        #expect(await q.get() == req("b"))
        await q.done(req("a"))
        await q.done(req("b"))
        await q.shutDown()
        #expect(await q.get() == nil)
    }

    @Test func metricsRenderControllerRuntimeNames() {
        let m = Metrics()
        m.recordReconcile(controller: "MCPServer", outcome: .success, seconds: 0.003)
        m.recordReconcile(controller: "MCPServer", outcome: .error, seconds: 0.2)
        m.setQueue(depth: 3, adds: 7, retries: 1)
        let text = m.render()
        #expect(text.contains("controller_runtime_reconcile_total{controller=\"MCPServer\",result=\"success\"} 1\n"))
        #expect(text.contains("controller_runtime_reconcile_total{controller=\"MCPServer\",result=\"error\"} 1\n"))
        #expect(text.contains("controller_runtime_reconcile_errors_total{controller=\"MCPServer\"} 1\n"))
        #expect(text.contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"MCPServer\",le=\"0.005\"} 1\n"))
        #expect(text.contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"MCPServer\",le=\"0.2\"} 2\n"))
        #expect(text.contains("controller_runtime_reconcile_time_seconds_count{controller=\"MCPServer\"} 2\n"))
        #expect(text.contains("workqueue_depth{name=\"toolhive-operator\"} 3\n"))
        #expect(text.contains("workqueue_adds_total{name=\"toolhive-operator\"} 7\n"))
        #expect(text.contains("workqueue_retries_total{name=\"toolhive-operator\"} 1\n"))
    }
}
