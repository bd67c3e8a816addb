/// The parsed form of a pattern. Groups leave no node of their own: only match/no-match is ever
/// asked, so captures are not needed.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(UInt32)
    /// Index into the parser's `sets` (shared by every copy a counted repeat makes).
    case set(Int)
    /// `.`; `matchesNewline` under the `s` flag.
    case anyScalar(matchesNewline: Bool)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == nil`: unbounded. `counted` marks `{m,n}` (RE2 limits the product of nested counts).
    case repetition(RegexNode, min: Int, max: Int?, counted: Bool)
}

/// The empty-width assertions of RE2.
enum RegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

    /// Whether the assertion holds between `previous` and `next` (nil: start / end of text).
    func holds(previous: UInt32?, next: UInt32?) -> Bool {
        switch self {
        case .beginText: return previous == nil
        case .endText: return next == nil
        case .beginLine: return previous == nil || previous == 0x0A
        case .endLine: return next == nil || next == 0x0A
        case .wordBoundary: return Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: return Self.isWord(previous) == Self.isWord(next)
        }
    }

    /// RE2's `\b` looks at ASCII word characters only.
    static func isWord(_ c: UInt32?) -> Bool {
        guard let c else { return false }
        return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
}

/// A set of Unicode scalars: a bracket class, `\d`-style class, `\pL` category, or a literal under
/// `(?i)`. Scalars are `UInt32` so that RE2-legal code points that are not scalars (`\x{D800}`)
/// can be written and simply never match.
struct ScalarSet: Sendable {
    /// Sorted, non-overlapping, non-adjacent.
    private(set) var ranges: [ClosedRange<UInt32>] = []
    /// `\pL`-style terms, kept as predicates: the stdlib knows each scalar's category, and
    /// expanding a category into ranges would walk all 1.1 million code points.
    private(set) var categories: [CategoryTerm] = []
    /// `(?i)`: a scalar also matches when a member of its case orbit is in the set.
    var foldsCase = false
    var isNegated = false
    /// Under `(?i)`: the case-fold keys (`CaseFolding.key`) of every cased member of `ranges`,
    /// so that matching needs one key lookup instead of a walk over the orbit.
    private var foldedRanges: [ClosedRange<UInt32>] = []
    /// Membership of ASCII as two 64-bit words, computed once by `finish()`: patterns are mostly
    /// ASCII and so is most text.
    private(set) var asciiTable: [UInt64] = [0, 0]

    struct CategoryTerm: Sendable {
        var categories: [Unicode.GeneralCategory]
        var isNegated: Bool

        func contains(_ c: UInt32) -> Bool {
            guard let scalar = Unicode.Scalar(c) else { return isNegated }
            return categories.contains(scalar.properties.generalCategory) != isNegated
        }
    }

    static let maxScalar: UInt32 = 0x10FFFF

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        for r in ranges { add(r) }
    }

    /// Adds a range, keeping `ranges` sorted and merged.
    mutating func add(_ range: ClosedRange<UInt32>) {
        var lo = range.lowerBound, hi = range.upperBound
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(ranges.count + 1)
        var inserted = false
        for r in ranges {
            if r.upperBound + 1 < lo {
                merged.append(r)
            } else if r.lowerBound > hi + 1 {
                if !inserted { merged.append(lo...hi); inserted = true }
                merged.append(r)
            } else {
                lo = min(lo, r.lowerBound)
                hi = max(hi, r.upperBound)
            }
        }
        if !inserted { merged.append(lo...hi) }
        ranges = merged
    }

    mutating func add(_ other: ScalarSet, negated: Bool) {
        for r in negated ? other.complementRanges : other.ranges { add(r) }
        for term in other.categories {
            categories.append(CategoryTerm(categories: term.categories, isNegated: term.isNegated != negated))
        }
    }

    mutating func add(_ term: CategoryTerm) { categories.append(term) }

    /// The ranges of everything not in `ranges`, up to U+10FFFF.
    var complementRanges: [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= Self.maxScalar { return out }
            next = r.upperBound + 1
        }
        out.append(next...Self.maxScalar)
        return out
    }

    /// Fills the ASCII table; the parser calls it once the set is complete.
    mutating func finish() {
        if foldsCase {
            var keys: [UInt32] = []
            for r in ranges where r.lowerBound < CaseFolding.casedLimit {
                for c in r.lowerBound...min(r.upperBound, CaseFolding.casedLimit - 1) where CaseFolding.isCased(c) {
                    keys.append(CaseFolding.key(c))
                }
            }
            foldedRanges = Self.ranges(of: keys)
        }
        var table: [UInt64] = [0, 0]
        if categories.isEmpty && !foldsCase {
            // Straight from the ranges: compiling every schema pattern is then ~3× faster.
            for r in ranges where r.lowerBound < 128 {
                for c in r.lowerBound...min(r.upperBound, 127) { table[Int(c >> 6)] |= 1 << UInt64(c & 63) }
            }
            if isNegated { table = [~table[0], ~table[1]] }
        } else {
            for c in UInt32(0)..<128 where computeContains(c) { table[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        }
        asciiTable = table
    }

    func contains(_ c: UInt32) -> Bool {
        if c < 128 { return asciiTable[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return computeContains(c)
    }

    private func computeContains(_ c: UInt32) -> Bool {
        var hit = Self.search(ranges, c) || categories.contains { $0.contains(c) }
        if !hit && foldsCase && CaseFolding.isCased(c) {
            // Ranges through the fold keys; categories (which cannot be enumerated cheaply)
            // through the scalar's case mappings.
            hit = Self.search(foldedRanges, CaseFolding.key(c))
                || CaseFolding.variants(of: c).contains { v in categories.contains { $0.contains(v) } }
        }
        return hit != isNegated
    }

    private static func search(_ ranges: [ClosedRange<UInt32>], _ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = ranges[mid]
            if c < r.lowerBound { hi = mid } else if c > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Sorted, merged ranges covering `scalars`.
    private static func ranges(of scalars: [UInt32]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for c in scalars.sorted() {
            if let last = out.last, c <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, c)
            } else {
                out.append(c...c)
            }
        }
        return out
    }
}

/// Case-insensitive matching for `(?i)` from the stdlib's case mappings (no tables of our own).
/// RE2 matches a scalar against every member of its simple case-folding orbit (k, K and the
/// Kelvin sign; s, S and ſ; µ, μ and Μ); here every member of an orbit has the same `key`, the
/// lower case of its upper case, which gives the same orbits for the scripts in use.
enum CaseFolding {
    /// No scalar at or above this changes under case mapping (Adlam, U+1E900–U+1E943, is the
    /// last cased script), so folding a class walks at most this many scalars.
    static let casedLimit: UInt32 = 0x1E944

    static func isCased(_ c: UInt32) -> Bool {
        if c < 128 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        return Unicode.Scalar(c)?.properties.changesWhenCaseMapped ?? false
    }

    /// The scalar every member of `c`'s case orbit maps to.
    static func key(_ c: UInt32) -> UInt32 {
        if c < 128 { return c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        guard let scalar = Unicode.Scalar(c) else { return c }
        // ß upper-cases to "SS" (not one scalar): keep it, and ẞ lower-cases to it.
        let upper = single(scalar.properties.uppercaseMapping).flatMap(Unicode.Scalar.init) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? upper.value
    }

    /// The scalar's other cases, for `(?i)` against `\p` categories.
    static func variants(of c: UInt32) -> [UInt32] {
        guard let scalar = Unicode.Scalar(c) else { return [] }
        let p = scalar.properties
        return [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping].compactMap(single).filter { $0 != c }
    }

    private static func single(_ mapped: String) -> UInt32? {
        let scalars = mapped.unicodeScalars
        return scalars.count == 1 ? scalars.first?.value : nil
    }
}

/// One instruction of the Thompson NFA that the Pike VM runs.
enum RegexInstruction: Sendable {
    case scalar(UInt32)
    /// Index into `RegexProgram.sets`.
    case set(Int)
    case anyScalar
    case anyButNewline
    case split(Int, Int)
    case jump(Int)
    case assertion(RegexAssertion)
    case match
}

/// A compiled pattern: instructions plus the sets they refer to.
struct RegexProgram: Sendable {
    var instructions: [RegexInstruction] = []
    var sets: [ScalarSet] = []
    /// The sets' `asciiTable`s end to end, for the VM's fast path.
    var asciiTables: [UInt64] = []
    /// Every match must start at the beginning of the text (the pattern starts with `^` or `\A`),
    /// so the search can stop as soon as no thread is left.
    var isAnchoredAtStart = false

    /// The largest program accepted. RE2 caps counted repeats at 1000 (and their nested product
    /// at 1000), so real patterns stay far below this; the cap bounds the VM's memory.
    static let maxInstructions = 100_000

    static func compile(_ node: RegexNode, sets: [ScalarSet], source: String) throws(PatternRegexError) -> RegexProgram {
        var program = RegexProgram()
        program.sets = sets
        program.asciiTables = sets.flatMap(\.asciiTable)
        try program.emit(node, source: source)
        program.instructions.append(.match)
        if case .assertion(.beginText)? = program.instructions.first { program.isAnchoredAtStart = true }
        return program
    }

    private mutating func append(_ instruction: RegexInstruction, source: String) throws(PatternRegexError) -> Int {
        guard instructions.count < Self.maxInstructions else {
            throw PatternRegexError(.expressionTooLarge, source)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode, source: String) throws(PatternRegexError) {
        switch node {
        case .empty:
            break
        case .scalar(let c):
            _ = try append(.scalar(c), source: source)
        case .set(let index):
            _ = try append(.set(index), source: source)
        case .anyScalar(let matchesNewline):
            _ = try append(matchesNewline ? .anyScalar : .anyButNewline, source: source)
        case .assertion(let a):
            _ = try append(.assertion(a), source: source)
        case .concat(let items):
            for item in items { try emit(item, source: source) }
        case .alternate(let branches):
            // split L1, next; L1: a; jump end; next: split L2, next2; ... last branch; end:
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i == branches.count - 1 {
                    try emit(branch, source: source)
                } else {
                    let split = try append(.split(0, 0), source: source)
                    try emit(branch, source: source)
                    jumps.append(try append(.jump(0), source: source))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for j in jumps { instructions[j] = .jump(instructions.count) }
        case .repetition(let sub, let min, let max, _):
            try emitRepetition(sub, min: min, max: max, source: source)
        }
    }

    private mutating func emitRepetition(_ sub: RegexNode, min: Int, max: Int?, source: String) throws(PatternRegexError) {
        guard let max else {
            if min == 0 {
                // L: split body, end; body; jump L; end:
                let split = try append(.split(0, 0), source: source)
                try emit(sub, source: source)
                _ = try append(.jump(split), source: source)
                instructions[split] = .split(split + 1, instructions.count)
            } else {
                // min-1 copies, then L: body; split L, end
                for _ in 0..<(min - 1) { try emit(sub, source: source) }
                let start = instructions.count
                try emit(sub, source: source)
                let split = try append(.split(0, 0), source: source)
                instructions[split] = .split(start, split + 1)
            }
            return
        }
        for _ in 0..<min { try emit(sub, source: source) }
        guard max > min else { return }
        // (sub(sub(sub)?)?)?: each optional copy may skip to the end.
        var splits: [Int] = []
        for _ in 0..<(max - min) {
            splits.append(try append(.split(0, 0), source: source))
            try emit(sub, source: source)
        }
        let end = instructions.count
        for s in splits { instructions[s] = .split(s + 1, end) }
    }
}
