/// kubectl-style argument parsing, hand-written because the design allows no packages:
/// `--flag value`, `--flag=value`, `-f value`, `-fvalue` (`-ojson`), repeatable flags, boolean
/// flags, `--` to end flags, and positional arguments anywhere.
struct OptionSpec: Sendable {
    var long: String
    var short: Character?
    var takesValue: Bool
    var repeatable: Bool
    var valueName: String
    var help: String

    static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, takesValue: false, repeatable: false, valueName: "", help: help)
    }
    static func value(_ long: String, short: Character? = nil, name: String = "VALUE", repeatable: Bool = false, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, takesValue: true, repeatable: repeatable, valueName: name, help: help)
    }
}

/// A usage error: printed with the command's usage on stderr, exit code 2.
struct UsageError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct ParsedArguments: Sendable {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    func has(_ long: String) -> Bool { flags.contains(long) }
    func value(_ long: String) -> String? { values[long]?.last }
    func all(_ long: String) -> [String] { values[long] ?? [] }

    static func parse(_ args: [String], options: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        func spec(long: String) -> OptionSpec? { options.first { $0.long == long } }
        func spec(short: Character) -> OptionSpec? { options.first { $0.short == short } }
        func store(_ s: OptionSpec, _ v: String?) throws(UsageError) {
            if s.takesValue {
                guard let v else { throw UsageError(message: "flag --\(s.long) needs a value") }
                if !s.repeatable, result.values[s.long] != nil {
                    throw UsageError(message: "flag --\(s.long) given more than once")
                }
                result.values[s.long, default: []].append(v)
            } else {
                if let v, !["true", "false"].contains(v) {
                    throw UsageError(message: "flag --\(s.long) takes no value (got \"\(v)\")")
                }
                if v == "false" { result.flags.remove(s.long) } else { result.flags.insert(s.long) }
            }
        }
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" {
                result.positionals.append(contentsOf: args[i...])
                break
            }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let name: String
                var inline: String? = nil
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq])
                    inline = String(body[body.index(after: eq)...])
                } else {
                    name = String(body)
                }
                guard let s = spec(long: name) else { throw UsageError(message: "unknown flag: --\(name)") }
                if s.takesValue && inline == nil {
                    guard i < args.count else { throw UsageError(message: "flag --\(name) needs a value") }
                    inline = args[i]
                    i += 1
                }
                try store(s, inline)
            } else if a.hasPrefix("-") && a.count > 1 {
                let chars = Array(a.dropFirst())
                guard let first = chars.first, let s = spec(short: first) else {
                    throw UsageError(message: "unknown shorthand flag: '\(chars.first.map(String.init) ?? "")' in \(a)")
                }
                if s.takesValue {
                    var v = String(chars.dropFirst())
                    if v.hasPrefix("=") { v.removeFirst() }
                    if v.isEmpty {
                        guard i < args.count else { throw UsageError(message: "flag -\(first) needs a value") }
                        v = args[i]
                        i += 1
                    }
                    try store(s, v)
                } else {
                    // Grouped boolean shorthands (-ab).
                    for c in chars {
                        guard let bs = spec(short: c), !bs.takesValue else { throw UsageError(message: "unknown shorthand flag: '\(c)' in \(a)") }
                        try store(bs, nil)
                    }
                }
            } else {
                result.positionals.append(a)
            }
        }
        return result
    }

    /// The flags section of a usage text.
    static func help(for options: [OptionSpec]) -> String {
        var lines: [String] = []
        for o in options {
            var left = o.short.map { "  -\($0), --\(o.long)" } ?? "      --\(o.long)"
            if o.takesValue { left += " \(o.valueName)" }
            let pad = max(1, 34 - left.count)
            lines.append(left + String(repeating: " ", count: pad) + o.help)
        }
        return lines.joined(separator: "\n")
    }
}
