/// A syntax checker for Go `text/template` strings, as the vMCP runtime parses composite-tool
/// arguments, conditions and messages (with ToolHive's function map). It checks what a parse
/// rejects: unclosed actions and strings, empty commands, unbalanced parentheses, misplaced
/// `else`/`end`, unclosed blocks and functions that are not defined. It does not execute anything.
public enum GoTemplateSyntax {
    /// Go's built-in template functions plus the ones ToolHive registers.
    public static let functions: Set<String> = [
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery",
        "eq", "ge", "gt", "le", "lt", "ne", "json", "quote", "fromJson",
    ]
    static let keywords: Set<String> = ["if", "range", "with", "else", "end", "define", "template", "block", "break", "continue", "nil", "true", "false"]

    public struct SyntaxProblem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Throws the first syntax problem found.
    public static func check(_ text: String) throws(SyntaxProblem) {
        var blocks: [String] = []
        for action in try actions(in: text) {
            try checkAction(action, blocks: &blocks)
        }
        if let open = blocks.last { throw SyntaxProblem(message: "unexpected EOF: {{\(open)}} is not closed by {{end}}") }
    }

    /// The field chains (`.steps.a.output.b`) used anywhere in the template's actions.
    public static func fieldReferences(in text: String) -> [String] {
        guard let acts = try? actions(in: text) else { return [] }
        var out: [String] = []
        for a in acts {
            guard let toks = try? tokens(a) else { continue }
            for t in toks where t.hasPrefix(".") && t.count > 1 { out.append(t) }
        }
        return out
    }

    /// The inside of every `{{ }}` (trim markers and comments removed).
    static func actions(in text: String) throws(SyntaxProblem) -> [String] {
        let s = Array(text.unicodeScalars)
        var out: [String] = []
        var i = 0
        while i + 1 < s.count {
            guard s[i] == "{", s[i + 1] == "{" else { i += 1; continue }
            var j = i + 2
            if j + 1 < s.count, s[j] == "-", s[j + 1] == " " || s[j + 1] == "\t" || s[j + 1] == "\n" { j += 2 }
            // Comment: {{/* ... */}}
            if j + 1 < s.count, s[j] == "/", s[j + 1] == "*" {
                var k = j + 2
                var closed = false
                while k + 1 < s.count {
                    if s[k] == "*", s[k + 1] == "/" {
                        var e = k + 2
                        while e < s.count, s[e] == " " || s[e] == "-" { e += 1 }
                        guard e + 1 < s.count, s[e] == "}", s[e + 1] == "}" else { throw SyntaxProblem(message: "comment ends before closing delimiter") }
                        i = e + 2
                        closed = true
                        break
                    }
                    k += 1
                }
                if !closed { throw SyntaxProblem(message: "unclosed comment") }
                continue
            }
            var k = j
            var quote: Unicode.Scalar? = nil
            var body = String.UnicodeScalarView()
            var closed = false
            while k < s.count {
                let c = s[k]
                if let q = quote {
                    if c == "\\" && q != "`" && k + 1 < s.count {
                        body.append(c); body.append(s[k + 1]); k += 2; continue
                    }
                    if c == "\n" && q != "`" { throw SyntaxProblem(message: "unterminated quoted string") }
                    if c == q { quote = nil }
                    body.append(c); k += 1; continue
                }
                if c == "\"" || c == "`" || c == "'" { quote = c; body.append(c); k += 1; continue }
                if c == "}", k + 1 < s.count, s[k + 1] == "}" { closed = true; break }
                body.append(c); k += 1
            }
            if quote != nil { throw SyntaxProblem(message: "unterminated quoted string") }
            if !closed { throw SyntaxProblem(message: "unclosed action") }
            var inner = String(body).trimmingSpaces
            if inner.hasSuffix(" -") || inner == "-" { inner = String(inner.dropLast()).trimmingSpaces }
            out.append(inner)
            i = k + 2
        }
        return out
    }

    /// Splits an action into tokens: strings, fields, variables, words, numbers and punctuation.
    static func tokens(_ action: String) throws(SyntaxProblem) -> [String] {
        let s = Array(action.unicodeScalars)
        var out: [String] = []
        var i = 0
        func isWordChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "." || c == "$" || c == "-" || c == "+"
        }
        while i < s.count {
            let c = s[i]
            if c.properties.isWhitespace { i += 1; continue }
            if c == "\"" || c == "`" || c == "'" {
                var j = i + 1
                while j < s.count && s[j] != c { j += (s[j] == "\\" && c != "`") ? 2 : 1 }
                guard j < s.count else { throw SyntaxProblem(message: "unterminated quoted string") }
                out.append(String(String.UnicodeScalarView(s[i...j])))
                i = j + 1
                continue
            }
            if c == "(" || c == ")" || c == "|" || c == "," { out.append(String(c)); i += 1; continue }
            if c == ":" || c == "=" {
                if c == ":", i + 1 < s.count, s[i + 1] == "=" { out.append(":="); i += 2; continue }
                if c == "=" { out.append("="); i += 1; continue }
                throw SyntaxProblem(message: "unexpected \":\" in command")
            }
            guard isWordChar(c) else { throw SyntaxProblem(message: "unexpected \"\(c)\" in command") }
            var j = i
            while j < s.count && isWordChar(s[j]) { j += 1 }
            out.append(String(String.UnicodeScalarView(s[i..<j])))
            i = j
        }
        return out
    }

    static func checkAction(_ action: String, blocks: inout [String]) throws(SyntaxProblem) {
        let toks = try tokens(action)
        guard let first = toks.first else { throw SyntaxProblem(message: "missing value for command") }
        var rest = Array(toks.dropFirst())
        switch first {
        case "if", "range", "with", "define", "block":
            if rest.isEmpty { throw SyntaxProblem(message: "missing value for \(first)") }
            blocks.append(first)
        case "else":
            guard let top = blocks.last, ["if", "range", "with"].contains(top) else { throw SyntaxProblem(message: "unexpected {{else}}") }
            if let r = rest.first, r == "if" || r == "with" { rest.removeFirst(); if rest.isEmpty { throw SyntaxProblem(message: "missing value for else \(r)") } }
            else if !rest.isEmpty { throw SyntaxProblem(message: "unexpected \"\(rest[0])\" in else") }
        case "end":
            if !rest.isEmpty { throw SyntaxProblem(message: "unexpected \"\(rest[0])\" in end") }
            guard blocks.popLast() != nil else { throw SyntaxProblem(message: "unexpected {{end}}") }
            return
        case "break", "continue":
            if !blocks.contains("range") { throw SyntaxProblem(message: "{{\(first)}} outside {{range}}") }
            return
        case "template":
            return
        default:
            rest = toks
        }
        try checkPipeline(rest)
    }

    static func checkPipeline(_ toks: [String]) throws(SyntaxProblem) {
        var depth = 0
        var expectCommand = true
        for (i, t) in toks.enumerated() {
            switch t {
            case "(": depth += 1; expectCommand = true
            case ")":
                depth -= 1
                if depth < 0 { throw SyntaxProblem(message: "unexpected right paren") }
                if expectCommand { throw SyntaxProblem(message: "missing value for command") }
            case "|":
                if expectCommand { throw SyntaxProblem(message: "missing value for command") }
                expectCommand = true
            case ":=", "=":
                guard i > 0, toks[i - 1].hasPrefix("$") else { throw SyntaxProblem(message: "unexpected \"\(t)\" in operand") }
                expectCommand = true
            case ",": continue
            default:
                expectCommand = false
                if let f = t.unicodeScalars.first, f.properties.isAlphabetic || f == "_" {
                    let word = String(t.split(separator: ".").first ?? "")
                    if !keywords.contains(word) && !functions.contains(word) {
                        throw SyntaxProblem(message: "function \"\(word)\" not defined")
                    }
                }
            }
        }
        if depth > 0 { throw SyntaxProblem(message: "unclosed left paren") }
        if expectCommand && !toks.isEmpty { throw SyntaxProblem(message: "missing value for command") }
    }
}
