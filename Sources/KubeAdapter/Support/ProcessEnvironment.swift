#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the process was started with and runs on: environment variables, host name, CPUs.
public enum ProcessEnvironment {
    /// Every environment variable (`NAME=value`; for a repeated name the last one wins).
    public static var variables: [String: String] {
        var out: [String: String] = [:]
        var entry = environ
        while let raw = entry.pointee {
            let text = String(cString: raw)
            if let eq = text.firstIndex(of: "=") {
                out[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            entry += 1
        }
        return out
    }

    /// The host name (the pod name inside Kubernetes); empty when it cannot be read.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// CPUs online (what libdispatch sizes its pool by); at least 1.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
