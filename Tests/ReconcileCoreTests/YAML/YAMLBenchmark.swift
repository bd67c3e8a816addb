import Foundation
import Testing
@testable import ReconcileCore

/// Throughput measurement driven by `scripts/yaml-bench` (which sets `YAML_BENCH_FILE`); does
/// nothing in a normal test run, so the suite has no timed test.
@Suite struct YAMLBenchmark {
    /// CPU time of this process: the machine may be busy with other builds, which wall time counts.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    @Test func parseThroughput() throws {
        guard let path = ProcessInfo.processInfo.environment["YAML_BENCH_FILE"],
              let data = FileManager.default.contents(atPath: path) else { return }
        let bytes = [UInt8](data)
        let mb = Double(bytes.count) / 1_000_000
        var best = Double.infinity
        var bestCPU = Double.infinity
        var documents = 0
        let rounds = Int(ProcessInfo.processInfo.environment["YAML_BENCH_ROUNDS"] ?? "") ?? 5
        for _ in 0..<max(rounds, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.cpuSeconds()
            documents = try YAMLReader.parseStream(bytes: bytes).count
            bestCPU = min(bestCPU, Self.cpuSeconds() - cpuStart)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let values = try YAMLReader.parseStream(bytes: bytes).map(\.value)
        let start = DispatchTime.now().uptimeNanoseconds
        let text = YAMLWriter.writeStream(values)
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "yaml-bench: read %.1f MB (%d documents) in %.3f s wall = %.1f MB/s (CPU %.3f s = %.1f MB/s); wrote %.1f MB in %.3f s = %.1f MB/s",
                     mb, documents, best, mb / best, bestCPU, mb / bestCPU, Double(text.utf8.count) / 1e6, writeSeconds, Double(text.utf8.count) / 1e6 / writeSeconds))
        #expect(documents > 0)
    }
}
