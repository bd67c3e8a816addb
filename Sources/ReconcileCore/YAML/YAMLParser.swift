/// The YAML parser's state and its block structure: streams, documents, block mappings and
/// sequences, node properties, anchors and aliases.
///
/// A recursive-descent parser over UTF-8 bytes (already validated by `YAMLInputCheck`) that builds
/// `Value` trees directly. Scalars live in YAMLScalars.swift / YAMLBlockScalar.swift, flow
/// collections in YAMLFlowCollections.swift, tag resolution in YAMLResolver.swift.
///
/// Position convention: `i` indexes `b`; `lineStart` is the index where the current line begins,
/// so the column (0-based, in bytes) is `i - lineStart`. Indentation is made of spaces, which are
/// single bytes, so byte columns are exact for every indentation comparison.
struct YAMLParser {
    let b: [UInt8]
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    let recordPositions: Bool
    var positions: [String: SourcePosition] = [:]
    /// Anchored values of the current document, with how many nodes each stands for.
    var anchors: [String: (value: Value, nodes: Int)] = [:]
    /// Nodes built in the current document, alias expansions included (sizes anchors).
    var nodeCount = 0
    /// Nodes produced through aliases in the whole stream ("billion laughs" guard).
    var aliasNodes = 0
    /// `%TAG` handles of the current document.
    var tagHandles: [String: String] = [:]
    /// Scratch stacks for collections being built (see YAMLCollectionBuilder.swift).
    var entryStack: [OrderedMap.Slot] = []
    var itemStack: [Value] = []
    var columnCache: (lineStart: Int, index: Int, column: Int) = (-1, 0, 1)
    /// Notes where the root map's `items` start and takes them out of the tree as they are parsed
    /// (loading Lists); `.off` keeps every document whole.
    var detacher: ListItemDetacher

    /// Deep enough for any real manifest, shallow enough for small thread stacks in debug builds.
    static let maxDepth = 256
    static let maxAliasNodes = 1_000_000

    /// firstLine: line number of the first byte (a piece cut out of a stream by
    /// `DocumentSplitter`); streamStart: the bytes begin the stream, so a byte order mark may lead.
    init(_ bytes: [UInt8], recordPositions: Bool, firstLine: Int = 1, streamStart: Bool = true, detacher: ListItemDetacher = .off) {
        b = bytes
        self.recordPositions = recordPositions
        self.detacher = detacher
        line = firstLine
        // A byte order mark at the start is allowed and means nothing.
        if streamStart, b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            i = 3
            lineStart = 3
        }
    }

    // MARK: - Low-level helpers

    @inline(__always) func peek(_ k: Int = 0) -> UInt8 {
        let j = i + k
        return j < b.count ? b[j] : 0
    }
    @inline(__always) var atEnd: Bool { i >= b.count }
    @inline(__always) static func isBlankOrEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0
    }
    @inline(__always) static func isBreakOrEnd(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D || c == 0 }
    @inline(__always) static func isWhite(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    @inline(__always) static func isFlowIndicator(_ c: UInt8) -> Bool {
        c == 0x2C || c == 0x5B || c == 0x5D || c == 0x7B || c == 0x7D
    }

    /// 0-based byte column of the current index.
    @inline(__always) var column: Int { i - lineStart }

    /// 1-based line and character column of byte index `at`, which must be on the current line.
    func position(at index: Int) -> SourcePosition {
        var col = 1
        var k = lineStart
        let end = min(index, b.count)
        while k < end {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return SourcePosition(line: line, column: col)
    }
    var position: SourcePosition { position(at: i) }

    /// Where the parser is, cheaply: turned into a line and column only when needed.
    struct Mark {
        let index: Int
        let line: Int
        let lineStart: Int
    }
    @inline(__always) var mark: Mark { Mark(index: i, line: line, lineStart: lineStart) }
    func position(of m: Mark) -> SourcePosition {
        var col = 1
        var k = m.lineStart
        let end = min(m.index, b.count)
        while k < end {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return SourcePosition(line: m.line, column: col)
    }
    func fail(_ message: String, at m: Mark) -> SyntaxError { SyntaxError(message, at: position(of: m)) }

    /// Records a field's position for `recordPositions`. Columns are counted from the last
    /// recorded point on the same line, so a long one-line flow collection stays linear.
    mutating func recordPosition(_ path: String, at m: Mark) {
        var col = 1
        var k = m.lineStart
        if columnCache.lineStart == m.lineStart && columnCache.index <= m.index {
            col = columnCache.column
            k = columnCache.index
        }
        let end = min(m.index, b.count)
        while k < end {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        columnCache = (m.lineStart, end, col)
        positions[path] = SourcePosition(line: m.line, column: col)
    }

    func fail(_ message: String) -> SyntaxError { SyntaxError(message, at: position) }
    func fail(_ message: String, at p: SourcePosition) -> SyntaxError { SyntaxError(message, at: p) }

    /// Consumes one line break (LF, CRLF or CR) at `i`.
    @inline(__always) mutating func consumeBreak() {
        if peek() == 0x0D {
            i += 1
            if peek() == 0x0A { i += 1 }
        } else {
            i += 1
        }
        line += 1
        lineStart = i
    }

    mutating func skipWhite() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
    }

    /// Skips the rest of a line if it is a comment; `#` starts a comment only after white space
    /// or at the start of a line.
    mutating func skipCommentIfAny() {
        guard peek() == 0x23, i == lineStart || Self.isWhite(b[i - 1]) else { return }
        while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
    }

    /// Skips white space, comments and line breaks up to the next content (or the end).
    /// Returns true when a line break was crossed.
    @discardableResult
    mutating func skipSeparation() -> Bool {
        var crossed = false
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 {
                i += 1
            } else if c == 0x0A || c == 0x0D {
                consumeBreak()
                crossed = true
            } else if c == 0x23 && (i == lineStart || Self.isWhite(b[i - 1])) {
                while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
            } else {
                break
            }
        }
        return crossed
    }

    /// True when only white space precedes `i` on its line.
    func isFirstOnLine() -> Bool {
        var k = lineStart
        while k < i {
            if b[k] != 0x20 && b[k] != 0x09 { return false }
            k += 1
        }
        return true
    }

    /// Leading spaces of the current line, and whether a tab sits between them and `i`.
    func indentation() -> (spaces: Int, tab: Bool) {
        var k = lineStart
        while k < i, b[k] == 0x20 { k += 1 }
        let spaces = k - lineStart
        while k < i, b[k] == 0x20 || b[k] == 0x09 {
            if b[k] == 0x09 { return (spaces, true) }
            k += 1
        }
        return (spaces, false)
    }

    /// Whether the run of white space just before `k` contains a tab.
    func hasTabBefore(_ k: Int) -> Bool {
        var j = k - 1
        while j >= lineStart, b[j] == 0x20 || b[j] == 0x09 {
            if b[j] == 0x09 { return true }
            j -= 1
        }
        return false
    }

    /// `---` or `...` at the start of a line, followed by white space or the end.
    func atDocumentMarker() -> Bool {
        guard i == lineStart, i + 2 < b.count else { return false }
        let c = b[i]
        guard (c == 0x2D || c == 0x2E), b[i + 1] == c, b[i + 2] == c else { return false }
        return Self.isBlankOrEnd(peek(3))
    }
    func atDocumentStart() -> Bool { atDocumentMarker() && b[i] == 0x2D }

    /// After a node: only white space and a comment may remain on the line.
    mutating func expectLineEnd(_ what: String) throws(SyntaxError) {
        skipWhite()
        if peek() == 0x23 {
            if i != lineStart && !Self.isWhite(b[i - 1]) { throw fail("a comment must be separated from \(what) by white space") }
            skipCommentIfAny()
        }
        if !Self.isBreakOrEnd(peek()) { throw fail("unexpected content after \(what)") }
    }

    mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    // MARK: - Stream and documents

    mutating func parseStream() throws(SyntaxError) -> [ParsedDocument] {
        var docs: [ParsedDocument] = []
        // True when the previous document did not end with `...` (directives then need one).
        var openEnded = false
        while true {
            skipSeparation()
            tagHandles = [:]
            var sawDirective = false
            var sawYAMLDirective = false
            while i < b.count, i == lineStart, b[i] == 0x25 {
                if openEnded { throw fail("directives must follow a document end marker '...'") }
                try parseDirective(&sawYAMLDirective)
                sawDirective = true
                skipSeparation()
            }
            if atEnd {
                if sawDirective { throw fail("directives must be followed by a document ('---')") }
                break
            }
            if atDocumentMarker() && b[i] == 0x2E {
                if sawDirective { throw fail("directives must be followed by '---'") }
                i += 3
                try expectLineEnd("'...'")
                openEnded = false
                continue
            }
            let explicit = atDocumentStart()
            if sawDirective && !explicit { throw fail("directives must be followed by '---'") }
            if !explicit && i != lineStart && !isFirstOnLine() {
                throw fail("unexpected content")
            }
            let start = position
            anchors = [:]
            nodeCount = 0
            positions = [:]
            if explicit { i += 3 }
            let value = try parseBlockNode(parent: -1, compact: false, seqAtParentIndent: false, path: "")
            skipSeparation()
            let items = detacher.finishDocument()
            docs.append(ParsedDocument(value: value, position: start, fieldPositions: positions, detachedItems: items.taken, itemPositions: items.positions))
            if atEnd { break }
            if atDocumentMarker() {
                if b[i] == 0x2E {
                    i += 3
                    try expectLineEnd("'...'")
                    openEnded = false
                } else {
                    openEnded = true
                }
                continue
            }
            throw fail(isFirstOnLine() && indentation().spaces > 0
                ? "bad indentation: this line does not belong to any collection above"
                : "unexpected content after the document's top-level node")
        }
        return docs
    }

    /// `%YAML 1.x` and `%TAG !h! prefix`; other directives are reserved and ignored.
    mutating func parseDirective(_ sawYAML: inout Bool) throws(SyntaxError) {
        let start = position
        i += 1
        let nameStart = i
        while i < b.count, !Self.isBlankOrEnd(b[i]) { i += 1 }
        let name = String(decoding: b[nameStart..<i], as: UTF8.self)
        func word(_ p: inout YAMLParser) -> String {
            p.skipWhite()
            let s = p.i
            while p.i < p.b.count, !Self.isBlankOrEnd(p.b[p.i]) { p.i += 1 }
            return String(decoding: p.b[s..<p.i], as: UTF8.self)
        }
        switch name {
        case "YAML":
            if sawYAML { throw fail("duplicate %YAML directive", at: start) }
            sawYAML = true
            let version = word(&self)
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), parts[0] == "1" else {
                throw fail("invalid %YAML version '\(version)'", at: start)
            }
        case "TAG":
            let handle = word(&self)
            let prefix = word(&self)
            guard handle.hasPrefix("!"), handle.hasSuffix("!") || handle == "!", !prefix.isEmpty else {
                throw fail("invalid %TAG directive", at: start)
            }
            if tagHandles[handle] != nil { throw fail("duplicate %TAG handle \(handle)", at: start) }
            tagHandles[handle] = prefix
        default:
            // Reserved directive: skip its parameters.
            while i < b.count, b[i] != 0x0A, b[i] != 0x0D, !(b[i] == 0x23 && Self.isWhite(b[i - 1])) { i += 1 }
        }
        try expectLineEnd("the directive")
    }

    // MARK: - Block nodes

    /// Parses the node that follows an indicator (`---`, `- `, `? `, `key:`), wherever it starts:
    /// on the same line or on a later one.
    ///
    /// - parent: indentation of the enclosing block collection (-1 at document level); content on
    ///   a later line must be indented more.
    /// - compact: a block collection may start on this same line (after `- `, `? `, explicit `: `).
    /// - seqAtParentIndent: a block sequence may sit at the parent's own indentation (map values).
    mutating func parseBlockNode(parent n: Int, compact: Bool, seqAtParentIndent: Bool, path: String) throws(SyntaxError) -> Value {
        try enter()
        defer { depth -= 1 }
        skipSeparation()
        if atEnd { return .null }
        var onNewLine = isFirstOnLine()
        if onNewLine {
            if atDocumentMarker() { return .null }
            let (spaces, tab) = indentation()
            if spaces <= n {
                let seqHere = spaces == n && seqAtParentIndent && !tab && b[i] == 0x2D && Self.isBlankOrEnd(peek(1))
                if !seqHere {
                    if tab && spaces < column { throw fail("tab characters must not be used in indentation") }
                    return .null
                }
            }
        }
        // Node properties: tag and/or anchor.
        var props = NodeProperties()
        var propsColumn = column
        var propsOnOwnLine = false
        if b[i] == 0x21 || b[i] == 0x26 {
            propsColumn = column
            try parseProperties(&props, flow: false)
            propertiesRead()
            if skipSeparation() {
                propsOnOwnLine = true
                // More properties alone on the following line(s) ("&a\n!!str\nvalue").
                while i < b.count, b[i] == 0x21 || b[i] == 0x26, indentation().spaces > n {
                    let saved = (i, line, lineStart)
                    var more = props
                    try parseProperties(&more, flow: false)
                    skipWhite()
                    skipCommentIfAny()
                    guard Self.isBreakOrEnd(peek()), (more.tag != props.tag || more.anchor != props.anchor) else {
                        (i, line, lineStart) = saved
                        break
                    }
                    props = more
                    skipSeparation()
                }
                onNewLine = true
                if atEnd { return try finishEmpty(props) }
                if atDocumentMarker() { return try finishEmpty(props) }
                let (spaces, tab) = indentation()
                if spaces <= n {
                    let seqHere = spaces == n && seqAtParentIndent && !tab && b[i] == 0x2D && Self.isBlankOrEnd(peek(1))
                    if !seqHere { return try finishEmpty(props) }
                }
            } else if atEnd {
                return try finishEmpty(props)
            }
        }
        let c = b[i]
        let c1 = peek(1)
        let startCount = nodeCount
        var result: Value
        // A compact collection ("- - a") must be separated from its indicator by spaces only.
        let tabBefore = !onNewLine && i > lineStart && (b[i - 1] == 0x09 || (Self.isWhite(b[i - 1]) && hasTabBefore(i)))
        if (c == 0x2D || c == 0x3F) && Self.isBlankOrEnd(c1) {
            if tabBefore { throw fail("tab characters must not be used to indent a block collection") }
            // A block sequence, or a block mapping that starts with an explicit key.
            let what = c == 0x2D ? "sequence" : "mapping"
            guard onNewLine || compact else {
                throw fail("a block \(what) cannot start on the same line as a mapping key or '---'")
            }
            if onNewLine && indentation().tab { throw fail("tab characters must not be used in indentation") }
            if !props.isEmpty && !propsOnOwnLine {
                throw fail("node properties before a block \(what) must be on their own line")
            }
            result = c == 0x2D
                ? try parseBlockSequence(indent: column, path: path)
                : try parseBlockMapping(indent: column, firstKey: nil, path: path)
            result = try applyTag(props, to: result)
        } else if c == 0x7C || c == 0x3E {
            let text = try parseBlockScalar(parent: n, folded: c == 0x3E)
            nodeCount += 1
            result = try resolveScalar(text, plain: false, tag: props.tag, at: props.position ?? mark)
        } else {
            // Fast path: an ordinary first key ("name: ...") where a block mapping may start.
            if props.isEmpty && (onNewLine || compact) && !tabBefore && !(onNewLine && indentation().tab) {
                let entryColumn = column
                let keyPosition = mark
                if let key = fastPlainKey() {
                    return try parseBlockMapping(indent: entryColumn, firstKey: (key, keyPosition, false), path: path)
                }
            }
            // A flow node, which may turn out to be the first key of a block mapping. Properties
            // on the key's own line belong to the key; on a line of their own, to the mapping.
            let entryColumn = propsOnOwnLine || props.isEmpty ? column : propsColumn
            let keyLine = line
            let keyPosition = mark
            let mergeCandidate = c == 0x3C && c1 == 0x3C
            let saved = (i, line, lineStart, nodeCount, aliasNodes)
            let candidate = try parseFlowInBlock(parent: n, props: propsOnOwnLine ? NodeProperties() : props, path: path)
            skipWhite()
            if peek() == 0x3A && Self.isBlankOrEnd(peek(1)) {
                guard line == keyLine else { throw fail("an implicit mapping key must be on a single line", at: keyPosition) }
                guard onNewLine || compact else {
                    throw fail("mapping values are not allowed here (is a ': ' missing quotes, or is the indentation wrong?)")
                }
                if onNewLine && indentation().tab { throw fail("tab characters must not be used in indentation") }
                if tabBefore { throw fail("tab characters must not be used to indent a block collection") }
                let isMerge = mergeCandidate && candidate == .string("<<")
                result = try parseBlockMapping(indent: entryColumn, firstKey: (candidate, keyPosition, isMerge), path: path)
                if propsOnOwnLine {
                    result = try applyTag(props, to: result)
                    if let anchor = props.anchor { anchors[anchor] = (result, nodeCount - startCount) }
                }
                return result
            }
            if propsOnOwnLine && !props.isEmpty {
                // Not a key after all: read the node again with its properties.
                (i, line, lineStart, nodeCount, aliasNodes) = saved
                result = try parseFlowInBlock(parent: n, props: props, path: path)
                skipWhite()
            } else {
                result = candidate
            }
            if !Self.isBreakOrEnd(peek()) { try expectLineEnd("a value") }
            return result
        }
        if let anchor = props.anchor { anchors[anchor] = (result, nodeCount - startCount) }
        return result
    }

    /// An empty node carrying only properties (`key: !!str` → "", `key: &a` → null).
    mutating func finishEmpty(_ props: NodeProperties) throws(SyntaxError) -> Value {
        let v = try scalarNode("", plain: true, props: props, at: mark, empty: true)
        if let anchor = props.anchor { anchors[anchor] = (v, 1) }
        return v
    }

    /// One scalar node: counted (for the alias-expansion cap) and resolved with its tag; it sits
    /// at its properties' position when it has any, else at `position`.
    mutating func scalarNode(_ text: String, plain: Bool, props: NodeProperties, at position: Mark, empty: Bool = false) throws(SyntaxError) -> Value {
        nodeCount += 1
        return try resolveScalar(text, plain: plain, tag: props.tag, at: props.position ?? position, empty: empty)
    }

    /// A flow node inside block context: alias, quoted scalar, flow collection or plain scalar
    /// (which may continue over several lines). `props` were already read on this line.
    mutating func parseFlowInBlock(parent n: Int, props: NodeProperties, path: String) throws(SyntaxError) -> Value {
        var props = props
        if b[i] == 0x21 || b[i] == 0x26 {
            try parseProperties(&props, flow: false)
            skipWhite()
        }
        let startCount = nodeCount
        let c = peek()
        var v: Value
        switch c {
        case 0x2A:
            if !props.isEmpty { throw fail("an alias cannot have a tag or an anchor") }
            return try parseAlias()
        case 0x22, 0x27:
            let p = mark
            let s = c == 0x22 ? try parseDoubleQuoted(parent: n, flow: false) : try parseSingleQuoted(parent: n, flow: false)
            v = try scalarNode(s, plain: false, props: props, at: p)
        case 0x5B, 0x7B:
            v = c == 0x5B ? try parseFlowSequence(parent: n, path: path) : try parseFlowMapping(parent: n, path: path)
            v = try applyTag(props, to: v)
        case 0x3A where Self.isBlankOrEnd(peek(1)):
            // An empty implicit key (": value").
            return try finishEmpty(props)
        case 0, 0x0A, 0x0D:
            return try finishEmpty(props)
        default:
            let p = mark
            v = try scalarNode(try parsePlain(parent: n, flow: false), plain: true, props: props, at: p)
        }
        if let anchor = props.anchor { anchors[anchor] = (v, nodeCount - startCount) }
        return v
    }

    mutating func parseAlias() throws(SyntaxError) -> Value {
        let p = position
        i += 1
        let s = i
        while i < b.count, !Self.isBlankOrEnd(b[i]), !Self.isFlowIndicator(b[i]) { i += 1 }
        guard i > s else { throw fail("an alias needs a name", at: p) }
        let name = String(decoding: b[s..<i], as: UTF8.self)
        guard let entry = anchors[name] else { throw fail("unknown anchor '\(name)'", at: p) }
        aliasNodes += entry.nodes
        nodeCount += entry.nodes
        if aliasNodes > Self.maxAliasNodes {
            throw fail("aliases expand to more than \(Self.maxAliasNodes) nodes (refused: possible \"billion laughs\" input)", at: p)
        }
        return entry.value
    }

    // MARK: - Block collections

    mutating func parseBlockSequence(indent s: Int, path: String) throws(SyntaxError) -> Value {
        let base = beginSequence()
        let isItems = startsItems()
        while true {
            // At '-' in column s.
            let itemPath = recordPositions ? "\(path)[\(itemStack.count - base)]" : ""
            i += 1
            if isItems { itemStarts() }
            if recordPositions {
                let save = i
                skipWhite()
                recordPosition(itemPath, at: mark)
                i = save
            }
            nodeCount += 1
            let item: Value
            if let fast = fastPlainScalar(parent: s) {
                item = fast
            } else {
                item = try parseBlockNode(parent: s, compact: true, seqAtParentIndent: false, path: itemPath)
            }
            if isItems { appendItem(item) } else { itemStack.append(item) }
            skipSeparation()
            if atEnd { break }
            if !isFirstOnLine() { throw fail("unexpected content after a sequence entry") }
            let (spaces, tab) = indentation()
            if spaces < s || atDocumentMarker() { break }
            if spaces > s { throw fail("bad indentation of a sequence entry") }
            guard b[i] == 0x2D, Self.isBlankOrEnd(peek(1)) else {
                if tab { throw fail("tab characters must not be used in indentation") }
                break
            }
            if tab { throw fail("tab characters must not be used in indentation") }
        }
        return .array(finishSequence(base))
    }

    mutating func parseBlockMapping(indent m: Int, firstKey: (Value, Mark, Bool)?, path: String) throws(SyntaxError) -> Value {
        var st = beginMap()
        var pending = firstKey
        while true {
            let key: Value
            let keyPos: Mark
            let value: Value
            var isMergeKey = false
            if let (k, p, merge) = pending {
                pending = nil
                key = k
                keyPos = p
                isMergeKey = merge
                i += 1  // ':'
                let childPath = recordPositions ? childPathFor(path, key) : ""
                if recordPositions { recordPosition(childPath, at: keyPos) }
                if let fast = fastPlainScalar(parent: m) {
                    value = fast
                } else {
                    willParseValue(of: key)
                    value = try parseBlockNode(parent: m, compact: false, seqAtParentIndent: true, path: childPath)
                    didParseValue()
                }
            } else if b[i] == 0x3F && Self.isBlankOrEnd(peek(1)) {
                keyPos = mark
                i += 1
                key = try parseBlockNode(parent: m, compact: true, seqAtParentIndent: true, path: "")
                skipSeparation()
                let childPath = recordPositions ? childPathFor(path, key) : ""
                if recordPositions { recordPosition(childPath, at: keyPos) }
                if !atEnd, isFirstOnLine(), indentation().spaces == m, !indentation().tab, b[i] == 0x3A, Self.isBlankOrEnd(peek(1)) {
                    i += 1
                    value = try parseBlockNode(parent: m, compact: true, seqAtParentIndent: true, path: childPath)
                } else {
                    value = .null
                }
            } else {
                keyPos = mark
                let keyLine = line
                let isMergeCandidate = b[i] == 0x3C && peek(1) == 0x3C
                if let fast = fastPlainKey() {
                    key = fast
                } else {
                    key = try parseImplicitKey(parent: m)
                }
                skipWhite()
                guard peek() == 0x3A, Self.isBlankOrEnd(peek(1)) else {
                    throw fail(line == keyLine ? "expected ':' after a mapping key" : "an implicit mapping key must be on a single line", at: keyPos)
                }
                guard line == keyLine else { throw fail("an implicit mapping key must be on a single line", at: keyPos) }
                isMergeKey = isMergeCandidate && key == .string("<<")
                i += 1
                let childPath = recordPositions ? childPathFor(path, key) : ""
                if recordPositions { recordPosition(childPath, at: keyPos) }
                if let fast = fastPlainScalar(parent: m) {
                    value = fast
                } else {
                    willParseValue(of: key)
                    value = try parseBlockNode(parent: m, compact: false, seqAtParentIndent: true, path: childPath)
                    didParseValue()
                }
            }
            if isMergeKey {
                try addMerge(&st, value, at: keyPos)
            } else {
                try addEntry(&st, key: key, value: value, at: keyPos)
            }
            nodeCount += 1
            // Next entry?
            skipSeparation()
            if atEnd { break }
            if !isFirstOnLine() { throw fail("unexpected content after a mapping value") }
            let (spaces, tab) = indentation()
            if spaces < m || atDocumentMarker() { break }
            if spaces > m { throw fail("bad indentation of a mapping entry") }
            if tab { throw fail("tab characters must not be used in indentation") }
        }
        nodeCount += 1
        return .object(finishMap(st))
    }

    // The `ListItemDetacher` hooks. Small functions of their own, called around the recursion
    // rather than inlined into it: debug builds give every local of a recursive function a stack
    // slot per level, and `maxDepth` levels must fit a test thread's stack.

    /// Before a block mapping's value is parsed: a root map's `items` may be taken.
    mutating func willParseValue(of key: Value) {
        guard depth == 1, detacher.isActive, case .string(let k) = key else { return }
        detacher.willParseRootValue(key: k, depth: depth)
    }

    mutating func didParseValue() {
        if depth == 1 { detacher.didParseRootValue() }
    }

    /// An anchored or tagged `items` is left whole (an alias or the tag may look at it).
    mutating func propertiesRead() {
        detacher.didParseRootValue()
    }

    /// Whether the block sequence starting now is the root map's `items`.
    mutating func startsItems() -> Bool {
        detacher.isItems(atDepth: depth)
    }

    /// After its `-`: where the item's content starts (as `recordPosition` would place it).
    mutating func itemStarts() {
        let save = i
        skipWhite()
        detacher.itemStarts(at: position(of: mark))
        i = save
    }

    mutating func appendItem(_ item: Value) {
        itemStack.append(detacher.itemParsed(item))
    }

    /// Fast path for the usual key (`name:`, `app.kubernetes.io/name:`): letters, digits and
    /// `-_./`, right before ": ". Nil (with nothing consumed) for anything else.
    @inline(__always) mutating func fastPlainKey() -> Value? {
        let s = i
        let c = b[i] | 0x20
        guard c >= 0x61 && c <= 0x7A else { return nil }
        var k = i + 1
        while k < b.count {
            let d = b[k]
            let lower = d | 0x20
            if (lower >= 0x61 && lower <= 0x7A) || (d >= 0x30 && d <= 0x39) || d == 0x2D || d == 0x5F || d == 0x2E || d == 0x2F {
                k += 1
            } else {
                break
            }
        }
        guard k < b.count, b[k] == 0x3A, k + 1 >= b.count || Self.isBlankOrEnd(b[k + 1]) else { return nil }
        let text = String(decoding: b[s..<k], as: UTF8.self)
        i = k
        nodeCount += 1
        // Only "null"/"true"/"false" spellings can resolve to something else here.
        return c == 0x6E || c == 0x74 || c == 0x66 ? Self.resolvePlain(text) : .string(text)
    }

    /// Fast path for the usual value: after `key:` or `-` (at `i`), one line of plain text with
    /// nothing special in it (no ": ", " #", tab, trailing space, continuation line). Returns nil
    /// with nothing consumed for anything else; the general path then gives the same result.
    mutating func fastPlainScalar(parent n: Int) -> Value? {
        var k = i
        guard k + 1 < b.count, b[k] == 0x20 else { return nil }
        k += 1
        while k < b.count, b[k] == 0x20 { k += 1 }
        guard k < b.count else { return nil }
        let c = b[k]
        let lower = c | 0x20
        let ordinaryStart = (lower >= 0x61 && lower <= 0x7A) || (c >= 0x30 && c <= 0x39) || c >= 0x80
            || c == 0x2F || c == 0x2E || c == 0x5F || c == 0x24 || c == 0x7E || c == 0x2B || c == 0x28
        guard ordinaryStart else { return nil }
        let s = k
        while k < b.count {
            let d = b[k]
            if d == 0x0A || d == 0x0D { break }
            if d == 0x09 { return nil }
            if d == 0x3A && (k + 1 >= b.count || Self.isBlankOrEnd(b[k + 1])) { return nil }
            if d == 0x23 && b[k - 1] == 0x20 { return nil }
            k += 1
        }
        let e = k
        if b[e - 1] == 0x20 { return nil }
        // A following line indented more than the parent (not blank, not a comment) would
        // continue the scalar: leave that to the general path.
        while k < b.count {
            if b[k] == 0x0D { k += 1; if k < b.count, b[k] == 0x0A { k += 1 } } else { k += 1 }
            var sp = 0
            while k < b.count, b[k] == 0x20 { k += 1; sp += 1 }
            guard k < b.count else { break }
            let d = b[k]
            if d == 0x0A || d == 0x0D { continue }
            if d == 0x09 { return nil }
            if d != 0x23 && sp > n { return nil }
            break
        }
        i = e
        nodeCount += 1
        return Self.resolvePlain(String(decoding: b[s..<e], as: UTF8.self))
    }

    /// A key of a block mapping entry (not the first), on a single line.
    mutating func parseImplicitKey(parent m: Int) throws(SyntaxError) -> Value {
        let c = b[i]
        if c == 0x2D && Self.isBlankOrEnd(peek(1)) {
            throw fail("a sequence entry is not allowed here (wrong indentation?)")
        }
        return try parseFlowInBlock(parent: m, props: NodeProperties(), path: "")
    }

    func childPathFor(_ path: String, _ key: Value) -> String {
        let k = Self.keyString(key) ?? "?"
        return path.isEmpty ? k : path + "." + k
    }
}
