#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer entry point over the YAML and JSON readers, the YAML writer and the snapshot loader.
// Built by scripts/fuzz together with the ReconcileCore sources (outside the package build).
//
// Oracles: no input may crash a reader; and whatever the YAML reader accepts must survive a
// round trip through the writer unchanged (abort() makes libFuzzer report it as a crash).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? JSONReader.parseStream(bytes: bytes, recordPositions: size % 2 == 0)
    _ = try? SnapshotLoader().load([InputSource(path: size % 3 == 0 ? "fuzz.json" : "fuzz.yaml", bytes: bytes)])
    guard let docs = try? YAMLReader.parseStream(bytes: bytes, recordPositions: size % 2 == 1) else { return 0 }
    for doc in docs {
        let text = YAMLWriter.write(doc.value)
        guard let back = try? YAMLReader.parse(text), sameData(back, doc.value) else {
            print("round trip failed for:\n\(text)")
            abort()
        }
    }
    return 0
}

/// Equality where NaN equals NaN (a `.nan` scalar must round-trip too).
func sameData(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameData($0, $1) }
    case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        for (k, v) in x {
            guard let w = y[k], sameData(v, w) else { return false }
        }
        return true
    default: return a == b
    }
}
