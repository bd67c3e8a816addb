import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// The C-library replacements of what the adapter used Foundation for: clocks, files, the
/// process environment, threads and condition variables. Where Foundation gives the same answer,
/// the tests compare with it (tests may import Foundation; the product modules do not).
@Suite struct SystemSupportTests {
    @Test func wallTimeNormalizesAndFormatsMicroTime() {
        let t = WallTime(seconds: 1_767_225_600, nanoseconds: 123_456_789)
        #expect(t.microTime == "2026-01-01T00:00:00.123456Z")
        #expect(WallTime(seconds: 1_767_225_600, nanoseconds: 5_000).microTime == "2026-01-01T00:00:00.000005Z")
        #expect(WallTime(seconds: 10, nanoseconds: -1) == WallTime(seconds: 9, nanoseconds: 999_999_999))
        #expect(WallTime(seconds: 10, nanoseconds: 2_500_000_000) == WallTime(seconds: 12, nanoseconds: 500_000_000))
        #expect(t.timestamp == Timestamp(secondsSinceEpoch: 1_767_225_600))
        #expect(t.adding(seconds: 1.5) == WallTime(seconds: 1_767_225_601, nanoseconds: 623_456_789))
        #expect(t.adding(seconds: .nan) == t)
        #expect(t.adding(seconds: 2).seconds(since: t) == 2)
        #expect(t.seconds(since: t.adding(seconds: 3)) == -3)
        #expect(WallTime(seconds: 9) < WallTime(seconds: 9, nanoseconds: 1))
    }

    @Test func wallClockAgreesWithFoundation() {
        let before = Date().timeIntervalSince1970
        let now = WallTime.now().secondsSinceEpoch
        let after = Date().timeIntervalSince1970
        #expect(now >= before - 0.001 && now <= after + 0.001)
    }

    @Test func deadlinesClampWhatTheyAreGiven() {
        #expect(Deadline(secondsFromNow: .nan).hasPassed)
        #expect(Deadline(secondsFromNow: -5).hasPassed)
        #expect(!Deadline(secondsFromNow: .infinity).hasPassed)
        let hour = Deadline(secondsFromNow: 3600)
        #expect(!hour.hasPassed)
        #expect(hour.remaining > .seconds(3500) && hour.remaining <= .seconds(3600))
        #expect(Deadline(secondsFromNow: 1) < hour)
    }

    @Test func httpDateIsIMFFixdate() {
        #expect(HTTPServer.httpDate(Timestamp(secondsSinceEpoch: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPServer.httpDate(.simulationEpoch) == "Thu, 01 Jan 2026 00:00:00 GMT")
        #expect(HTTPServer.httpDate(Timestamp(secondsSinceEpoch: 1_709_211_909)) == "Thu, 29 Feb 2024 13:05:09 GMT")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for s: Int64 in [86_399, 951_782_400, 1_234_567_890, 4_102_444_800] {
            #expect(HTTPServer.httpDate(Timestamp(secondsSinceEpoch: s)) == f.string(from: Date(timeIntervalSince1970: TimeInterval(s))))
        }
    }

    @Test func filesAndDirectories() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fileio-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(big).write(to: URL(fileURLWithPath: dir + "/big.bin"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.yaml"))

        #expect(FileIO.read(dir + "/big.bin") == big)
        #expect(FileIO.read(dir + "/empty.yaml") == [])
        #expect(FileIO.read(dir + "/missing") == nil)
        #expect(FileIO.read(dir) == nil)
        #expect(FileIO.kind(of: dir) == .directory)
        #expect(FileIO.kind(of: dir + "/big.bin") == .file)
        #expect(FileIO.kind(of: dir + "/missing") == nil)
        #expect(FileIO.exists(dir + "/empty.yaml") && !FileIO.exists(dir + "/missing"))
        #expect(FileIO.isReadable(dir + "/big.bin") && !FileIO.isReadable(dir + "/missing"))
        #expect(FileIO.directoryEntries(dir)?.sorted() == ["big.bin", "empty.yaml", "sub"])
        #expect(FileIO.directoryEntries(dir + "/big.bin") == nil)
    }

    @Test func blocksAddUpToTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fileio-\(UUID().uuidString)").path
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for size in [1, 7, 999, 1000, 4096] {
            var blocks: [Int] = []
            var read: [UInt8] = []
            #expect(FileIO.readBlocks(path, blockSize: size) { blocks.append($0.count); read += $0 })
            #expect(read == bytes, "block size \(size)")
            // Every block is full but the last.
            #expect(blocks.dropLast().allSatisfy { $0 == size }, "block size \(size)")
            #expect(blocks.count == (1000 + size - 1) / size)
        }
        #expect(!FileIO.readBlocks(path + ".missing") { _ in })
        #expect(!FileIO.readBlocks(FileManager.default.temporaryDirectory.path) { _ in })
    }

    @Test func writeAndReadThroughAPipe() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let text = String(repeating: "line of output\n", count: 1000)
        #expect(FileIO.write(text, to: fds[1]))
        close(fds[1])
        #expect(FileIO.readAll(fds[0]) == Array(text.utf8))
        close(fds[0])
        #expect(!FileIO.write("x", to: -1))
    }

    @Test func environmentMatchesFoundation() {
        #expect(ProcessEnvironment.variables == ProcessInfo.processInfo.environment)
        #expect(ProcessEnvironment.processorCount >= 1)
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let kernel { #expect(ProcessEnvironment.hostName == kernel) }
    }

    @Test func conditionWakesAWaiterFromAnotherThread() {
        let condition = ConditionVariable()
        let flag = Flag()
        // Not a timing test: the waiter loops until the flag is set or a generous deadline passes.
        let deadline = Deadline(secondsFromNow: 30)
        let name = Box()
        #expect(Threads.detach(name: "a-long-thread-name") {
            condition.withLock {
                name.value = Self.currentThreadName()
                flag.set()
                condition.broadcast()
            }
        })
        let woke = condition.withLock { () -> Bool in
            while !flag.isSet {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
        #expect(woke)
        #expect(condition.withLock { !condition.wait(until: Deadline(secondsFromNow: 0)) })
        // Named as asked, cut to the kernel's 15 bytes.
        #expect(condition.withLock { name.value } == "a-long-thread-n")
    }

    /// The calling thread's name, as the kernel has it (empty when it cannot be read).
    static func currentThreadName() -> String {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? ""
    }

    /// Written by the thread, read by the test, both under the condition's lock.
    final class Box: @unchecked Sendable {
        var value = ""
    }

    @Test func metricLabelsAreEscaped() {
        let m = Metrics()
        m.recordReconcile(controller: "a\"b\\c\nd", outcome: .success, seconds: 0.01)
        #expect(m.render().contains("controller_runtime_reconcile_total{controller=\"a\\\"b\\\\c\\nd\",result=\"success\"} 1\n"))
    }
}
