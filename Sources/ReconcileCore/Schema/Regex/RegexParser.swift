/// Parses Go RE2 syntax (the flags of Go's `regexp.Compile`: Perl classes, `(?flags)`, Unicode
/// classes, one-line mode) into a `RegexNode`, rejecting what RE2 rejects with RE2's error codes.
///
/// Recursive descent; recursion follows the pattern's group nesting only, which is capped at
/// RE2's 1000.
struct RegexParser {
    private let pattern: [UInt32]
    private let source: String
    private var position = 0
    private var flags = Flags()
    private var depth = 0
    /// The sets that `.set` nodes refer to, each finished.
    private(set) var sets: [ScalarSet] = []

    struct Flags {
        var foldsCase = false   // i
        var multiLine = false   // m: ^ and $ at line boundaries
        var dotMatchesNewline = false  // s
    }

    static let maxNesting = 1000
    static let maxRepeat = 1000

    init(_ source: String) {
        self.source = source
        pattern = source.unicodeScalars.map(\.value)
    }

    mutating func parse() throws(PatternRegexError) -> RegexNode {
        let node = try parseAlternation()
        if position < pattern.count {
            // Only an unmatched `)` stops the top-level alternation early.
            throw PatternRegexError(.unexpectedParen, source)
        }
        return node
    }

    // MARK: - Structure

    private var current: UInt32? { position < pattern.count ? pattern[position] : nil }

    private func peek(_ offset: Int) -> UInt32? {
        position + offset < pattern.count ? pattern[position + offset] : nil
    }

    private func text(_ range: Range<Int>) -> String {
        var s = ""
        for c in pattern[range.clamped(to: 0..<pattern.count)] {
            if let scalar = Unicode.Scalar(c) { s.unicodeScalars.append(scalar) }
        }
        return s
    }

    private mutating func parseAlternation() throws(PatternRegexError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while current == ascii("|") {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcatenation() throws(PatternRegexError) -> RegexNode {
        var items: [RegexNode] = []
        // Where the previous repetition operator began, if the previous token was one:
        // RE2 rejects stacked operators (`a**`, `a{2}*`).
        var lastRepeatStart: Int?
        while let c = current, c != ascii("|"), c != ascii(")") {
            let start = position
            var repeatBounds: (min: Int, max: Int?, counted: Bool)?
            switch c {
            case ascii("*"): position += 1; repeatBounds = (0, nil, false)
            case ascii("+"): position += 1; repeatBounds = (1, nil, false)
            case ascii("?"): position += 1; repeatBounds = (0, 1, false)
            case ascii("{"):
                if let counted = try parseCountedRepeat() { repeatBounds = (counted.min, counted.max, true) }
            default: break
            }
            guard let bounds = repeatBounds else {
                lastRepeatStart = nil
                if c == ascii("{") {  // not a valid `{m,n}`: a literal brace
                    position += 1
                    items.append(literal(c))
                } else {
                    items.append(contentsOf: try parseAtom())
                }
                continue
            }
            if current == ascii("?") { position += 1 }  // non-greedy: same match/no-match answer
            if let lastRepeatStart {
                throw PatternRegexError(.invalidRepeatOperator, text(lastRepeatStart..<position))
            }
            guard let operand = items.popLast() else {
                throw PatternRegexError(.missingRepeatArgument, text(start..<position))
            }
            let repetition = RegexNode.repetition(operand, min: bounds.min, max: bounds.max, counted: bounds.counted)
            if bounds.counted && (bounds.min >= 2 || (bounds.max ?? 0) >= 2),
               !Self.countedRepeatsFit(repetition, limit: Self.maxRepeat) {
                throw PatternRegexError(.invalidRepeatSize, text(start..<position))
            }
            items.append(repetition)
            lastRepeatStart = start
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// RE2's `repeatIsValid`: the product of nested counted repeats may not exceed 1000, so
    /// `(a{1000}){1000}` cannot expand to a million instructions.
    private static func countedRepeatsFit(_ node: RegexNode, limit: Int) -> Bool {
        switch node {
        case .repetition(let sub, let min, let max, let counted):
            var limit = limit
            if counted {
                let m = max ?? min
                if m > limit { return false }
                if m > 0 { limit /= m }
            }
            return countedRepeatsFit(sub, limit: limit)
        case .concat(let items), .alternate(let items):
            return items.allSatisfy { countedRepeatsFit($0, limit: limit) }
        default:
            return true
        }
    }

    /// `{m}`, `{m,}`, `{m,n}` at the current position, or nil (and no input consumed) when the
    /// brace does not start one, in which case RE2 reads it as a literal.
    private mutating func parseCountedRepeat() throws(PatternRegexError) -> (min: Int, max: Int?)? {
        let start = position
        var i = position + 1
        guard let min = parseInt(&i) else { return nil }
        var max: Int? = min
        if i < pattern.count && pattern[i] == ascii(",") {
            i += 1
            if i < pattern.count && pattern[i] == ascii("}") {
                max = nil
            } else {
                guard let m = parseInt(&i) else { return nil }
                max = m
            }
        }
        guard i < pattern.count && pattern[i] == ascii("}") else { return nil }
        position = i + 1
        let tooBig = min < 0 || min > Self.maxRepeat || (max ?? 0) < 0 || (max ?? 0) > Self.maxRepeat
        if tooBig || (max.map { min > $0 } ?? false) {
            throw PatternRegexError(.invalidRepeatSize, text(start..<position))
        }
        return (min, max)
    }

    /// Decimal digits without a leading zero (RE2 reads `{01}` as literal text); -1 when the
    /// number is absurdly large, which the caller reports as a bad repeat count.
    private func parseInt(_ i: inout Int) -> Int? {
        guard i < pattern.count, isDigit(pattern[i]) else { return nil }
        if pattern[i] == ascii("0") && i + 1 < pattern.count && isDigit(pattern[i + 1]) { return nil }
        var n = 0
        while i < pattern.count && isDigit(pattern[i]) {
            if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(pattern[i] - 0x30) }
            i += 1
        }
        return n
    }

    // MARK: - Atoms

    /// One atom, or several literals (`\Q...\E`), or nothing (a `(?i)` flag group).
    private mutating func parseAtom() throws(PatternRegexError) -> [RegexNode] {
        guard let c = current else { return [] }
        switch c {
        case ascii("("):
            return try parseGroup()
        case ascii("["):
            return [setNode(try parseClass())]
        case ascii("."):
            position += 1
            return [.anyScalar(matchesNewline: flags.dotMatchesNewline)]
        case ascii("^"):
            position += 1
            return [.assertion(flags.multiLine ? .beginLine : .beginText)]
        case ascii("$"):
            position += 1
            return [.assertion(flags.multiLine ? .endLine : .endText)]
        case ascii("\\"):
            return try parseBackslash()
        default:
            position += 1
            return [literal(c)]
        }
    }

    private mutating func literal(_ c: UInt32) -> RegexNode {
        guard flags.foldsCase, CaseFolding.isCased(c) else { return .scalar(c) }
        var set = ScalarSet([c...c])
        set.foldsCase = true
        return setNode(set)
    }

    private mutating func setNode(_ set: ScalarSet) -> RegexNode {
        var set = set
        set.finish()
        sets.append(set)
        return .set(sets.count - 1)
    }

    private mutating func parseGroup() throws(PatternRegexError) -> [RegexNode] {
        let start = position
        position += 1
        let saved = flags
        if current == ascii("?") {
            if peek(1) == ascii("P") && peek(2) == ascii("<") {
                position += 3
                try parseCaptureName(groupStart: start)
            } else if peek(1) == ascii("<") {
                position += 2
                try parseCaptureName(groupStart: start)
            } else {
                position += 1
                // (?flags) or (?flags:...)
                var sign = 1, sawFlag = false
                var newFlags = flags
                flagLoop: while let f = current {
                    position += 1
                    switch f {
                    case ascii("i"): newFlags.foldsCase = sign > 0; sawFlag = true
                    case ascii("m"): newFlags.multiLine = sign > 0; sawFlag = true
                    case ascii("s"): newFlags.dotMatchesNewline = sign > 0; sawFlag = true
                    case ascii("U"): sawFlag = true  // non-greedy by default: no effect on match/no-match
                    case ascii("-"):
                        if sign < 0 { break flagLoop }
                        sign = -1
                        sawFlag = false
                    case ascii(":"), ascii(")"):
                        if sign < 0 && !sawFlag { break flagLoop }
                        if f == ascii(")") {
                            flags = newFlags  // for the rest of the enclosing group
                            return []
                        }
                        flags = newFlags
                        return [try parseGroupBody(start: start, restoring: saved)]
                    default:
                        break flagLoop
                    }
                }
                throw PatternRegexError(.invalidPerlOperator, text(start..<position))
            }
        }
        return [try parseGroupBody(start: start, restoring: saved)]
    }

    private mutating func parseCaptureName(groupStart: Int) throws(PatternRegexError) {
        let nameStart = position
        while let c = current, c != ascii(">") { position += 1 }
        guard current == ascii(">") else {
            throw PatternRegexError(.invalidNamedCapture, text(groupStart..<pattern.count))
        }
        let name = text(nameStart..<position)
        position += 1
        let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { RegexAssertion.isWord($0.value) }
        // Go accepts a name used twice, so no check for duplicates.
        guard valid else { throw PatternRegexError(.invalidNamedCapture, text(groupStart..<position)) }
    }

    private mutating func parseGroupBody(start: Int, restoring saved: Flags) throws(PatternRegexError) -> RegexNode {
        depth += 1
        guard depth <= Self.maxNesting else { throw PatternRegexError(.nestingTooDeep, source) }
        let body = try parseAlternation()
        guard current == ascii(")") else { throw PatternRegexError(.missingParen, source) }
        position += 1
        depth -= 1
        flags = saved
        return body
    }

    private mutating func parseBackslash() throws(PatternRegexError) -> [RegexNode] {
        let start = position
        switch peek(1) {
        case ascii("A")?: position += 2; return [.assertion(.beginText)]
        case ascii("z")?: position += 2; return [.assertion(.endText)]
        case ascii("b")?: position += 2; return [.assertion(.wordBoundary)]
        case ascii("B")?: position += 2; return [.assertion(.notWordBoundary)]
        case ascii("Q")?:
            // \Q...\E: literal text up to \E or the end of the pattern.
            position += 2
            var out: [RegexNode] = []
            while let c = current {
                if c == ascii("\\") && peek(1) == ascii("E") { position += 2; break }
                out.append(literal(c))
                position += 1
            }
            return out
        case ascii("p")?, ascii("P")?:
            var set = ScalarSet()
            try parseUnicodeClass(into: &set)
            set.foldsCase = flags.foldsCase
            return [setNode(set)]
        default:
            if var set = parsePerlClass() {
                set.foldsCase = flags.foldsCase
                return [setNode(set)]
            }
            position = start
            return [literal(try parseEscape())]
        }
    }

    /// `\d \D \s \S \w \W` at the current position (consumed), as a set.
    private mutating func parsePerlClass() -> ScalarSet? {
        guard current == ascii("\\"), let letter = peek(1) else { return nil }
        let base: [ClosedRange<UInt32>]
        switch letter | 0x20 {
        case ascii("d"): base = Self.digit
        case ascii("s"): base = Self.perlSpace
        case ascii("w"): base = Self.word
        default: return nil
        }
        position += 2
        var set = ScalarSet(base)
        set.isNegated = letter < 0x60  // upper case
        return set
    }

    /// An escape that stands for one scalar: `\x41`, `\x{263a}`, `\101`, `\n`, `\.`, ...
    private mutating func parseEscape() throws(PatternRegexError) -> UInt32 {
        let start = position
        position += 1
        guard let c = current else { throw PatternRegexError(.trailingBackslash, "") }
        position += 1
        func invalid() -> PatternRegexError { PatternRegexError(.invalidEscape, text(start..<position)) }
        switch c {
        case ascii("1")...ascii("7"):
            // A lone non-zero digit would be a backreference, which RE2 does not support.
            guard let next = current, next >= ascii("0") && next <= ascii("7") else { throw invalid() }
            fallthrough
        case ascii("0"):
            var value = c - 0x30
            for _ in 1..<3 {
                guard let d = current, d >= ascii("0") && d <= ascii("7") else { break }
                value = value * 8 + (d - 0x30)
                position += 1
            }
            return value
        case ascii("x"):
            guard let first = current else { throw invalid() }
            position += 1
            if first == ascii("{") {
                var value: UInt32 = 0, digits = 0
                while true {
                    guard let d = current else { throw invalid() }
                    position += 1
                    if d == ascii("}") { break }
                    guard let v = hexValue(d) else { throw invalid() }
                    value = value * 16 + v
                    digits += 1
                    if value > ScalarSet.maxScalar { throw invalid() }
                }
                guard digits > 0 else { throw invalid() }
                return value
            }
            guard let second = current else { throw invalid() }
            position += 1
            guard let hi = hexValue(first), let lo = hexValue(second) else { throw invalid() }
            return hi * 16 + lo
        case ascii("a"): return 0x07
        case ascii("f"): return 0x0C
        case ascii("n"): return 0x0A
        case ascii("r"): return 0x0D
        case ascii("t"): return 0x09
        case ascii("v"): return 0x0B
        default:
            // Escaped ASCII punctuation stands for itself; escaped letters and digits must be known.
            if c < 0x80 && !isAlphanumeric(c) { return c }
            throw invalid()
        }
    }

    // MARK: - Bracket classes

    private mutating func parseClass() throws(PatternRegexError) -> ScalarSet {
        let start = position
        position += 1
        var set = ScalarSet()
        set.foldsCase = flags.foldsCase
        if current == ascii("^") {
            set.isNegated = true  // RE2's Perl mode: a negated class does match `\n`
            position += 1
        }
        var first = true  // `]` and `-` are literal first in a class
        while current != ascii("]") || first {
            guard current != nil else { throw PatternRegexError(.missingBracket, text(start..<pattern.count)) }
            first = false
            if current == ascii("["), peek(1) == ascii(":"), try parsePosixClass(into: &set) { continue }
            if current == ascii("\\"), peek(1) == ascii("p") || peek(1) == ascii("P") {
                try parseUnicodeClass(into: &set)
                continue
            }
            if let perl = parsePerlClass() {
                set.add(perl, negated: perl.isNegated)
                continue
            }
            let rangeStart = position
            let lo = try parseClassScalar(classStart: start)
            var hi = lo
            if current == ascii("-"), let following = peek(1), following != ascii("]") {
                position += 1
                hi = try parseClassScalar(classStart: start)
                guard hi >= lo else { throw PatternRegexError(.invalidCharRange, text(rangeStart..<position)) }
            }
            set.add(lo...hi)
        }
        position += 1  // ]
        return set
    }

    private mutating func parseClassScalar(classStart: Int) throws(PatternRegexError) -> UInt32 {
        guard let c = current else { throw PatternRegexError(.missingBracket, text(classStart..<pattern.count)) }
        if c == ascii("\\") { return try parseEscape() }
        position += 1
        return c
    }

    /// `[:alpha:]`, `[:^alpha:]` inside a bracket class; false (nothing consumed) when there is
    /// no closing `:]`, in which case the `[` is a literal.
    private mutating func parsePosixClass(into set: inout ScalarSet) throws(PatternRegexError) -> Bool {
        var end = position + 2
        while end + 1 < pattern.count && !(pattern[end] == ascii(":") && pattern[end + 1] == ascii("]")) { end += 1 }
        guard end + 1 < pattern.count else { return false }
        var name = text((position + 2)..<end)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = Self.posixClasses[name] else {
            throw PatternRegexError(.invalidCharRange, text(position..<(end + 2)))
        }
        position = end + 2
        set.add(ScalarSet(ranges), negated: negated)
        return true
    }

    /// `\pL`, `\p{Lu}`, `\p{^L}`, `\PL`, `\p{Any}`: Unicode general categories. Script names
    /// (`\p{Greek}`) are not supported: the stdlib has no script property.
    private mutating func parseUnicodeClass(into set: inout ScalarSet) throws(PatternRegexError) {
        let start = position
        var negated = peek(1) == ascii("P")
        position += 2
        var name: String
        if current == ascii("{") {
            let nameStart = position + 1
            var end = nameStart
            while end < pattern.count && pattern[end] != ascii("}") { end += 1 }
            guard end < pattern.count else { throw PatternRegexError(.invalidCharRange, text(start..<pattern.count)) }
            name = text(nameStart..<end)
            position = end + 1
        } else {
            guard current != nil else { throw PatternRegexError(.invalidCharRange, text(start..<position)) }
            position += 1
            name = text((position - 1)..<position)
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        if name == "Any" {
            set.add(ScalarSet([0...ScalarSet.maxScalar]), negated: negated)
            return
        }
        guard let categories = Self.generalCategories[name] else {
            throw PatternRegexError(.invalidCharRange, text(start..<position))
        }
        set.add(ScalarSet.CategoryTerm(categories: categories, isNegated: negated))
    }

    // MARK: - Tables (RE2's Perl and POSIX classes are ASCII-only)

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let perlSpace: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
        "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [0x30...0x39],
        "graph": [0x21...0x7E],
        "lower": [0x61...0x7A],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A],
        "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
        "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]

    static let generalCategories: [String: [Unicode.GeneralCategory]] = {
        let table: [String: [Unicode.GeneralCategory]] = [
            "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter],
            "Lm": [.modifierLetter], "Lo": [.otherLetter],
            "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
            "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
            "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation],
            "Pe": [.closePunctuation], "Pi": [.initialPunctuation], "Pf": [.finalPunctuation],
            "Po": [.otherPunctuation],
            "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
            "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
            // Go's `C` has no unassigned code points (Cn).
            "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
        ]
        var all = table
        for major in ["L", "M", "N", "P", "S", "Z", "C"] {
            all[major] = table.filter { $0.key.hasPrefix(major) }.values.flatMap { $0 }
        }
        return all
    }()

    // MARK: - Scalars

    private func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    private func isAlphanumeric(_ c: UInt32) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
    private func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// The code of an ASCII character, for readable comparisons with pattern scalars.
@inline(__always)
private func ascii(_ c: Unicode.Scalar) -> UInt32 { c.value }
