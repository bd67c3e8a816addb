/// Field-level differences between a desired tree and an observed one, with subset semantics
/// (fields the observed object has and the desired one does not are not differences). Used for
/// `--explain` and to report what oscillates in `converge`.
public enum Diff {
    /// Paths where `desired` is not matched by `observed`, each as `path: observed → desired`.
    public static func differences(desired: Value, observed: Value, path: String = "", limit: Int = 20) -> [String] {
        var out: [String] = []
        collect(desired, observed, path, &out, limit)
        return out
    }

    private static func collect(_ d: Value, _ o: Value, _ path: String, _ out: inout [String], _ limit: Int) {
        guard out.count < limit else { return }
        switch (d, o) {
        case (.object(let dm), .object(let om)):
            for (k, dv) in dm {
                let p = path.isEmpty ? k : "\(path).\(k)"
                if let ov = om[k] {
                    collect(dv, ov, p, &out, limit)
                } else if !dv.isEmptyish {
                    out.append("\(p): (absent) → \(short(dv))")
                }
            }
        case (.array(let da), .array(let oa)) where da.count == oa.count:
            for i in da.indices { collect(da[i], oa[i], "\(path)[\(i)]", &out, limit) }
        default:
            if !d.isSubset(of: o) { out.append("\(path.isEmpty ? "(root)" : path): \(short(o)) → \(short(d))") }
        }
    }

    /// A one-line rendering for messages, cut at 80 characters.
    public static func short(_ v: Value) -> String {
        let s: String
        switch v {
        case .array(let a): s = "[\(a.count) items]"
        case .object(let m): s = "{\(m.keys.prefix(4).joined(separator: ", "))\(m.count > 4 ? ", ..." : "")}"
        default: s = JSONWriter.write(v, pretty: false)
        }
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }
}
