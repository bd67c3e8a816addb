/// Flow collections: `[a, b]` and `{k: v}`, nested freely, spanning lines, with single-pair
/// mappings inside sequences (`[a: 1]`) and explicit keys (`{? k : v}`).
extension YAMLParser {
    /// Skips white space, comments and line breaks inside a flow collection; a new line must be
    /// indented more than the enclosing block collection (`parent`).
    mutating func skipFlowSeparation(parent n: Int) throws(SyntaxError) {
        if skipSeparation(), !atEnd {
            if atDocumentMarker() { throw fail("document marker inside a flow collection (missing ']' or '}'?)") }
            let spaces = indentation().spaces
            // A closing bracket at the parent's own indentation is common in hand-written files
            // ("args: [\n  a\n]"), unambiguous, and accepted by kubectl: allow it.
            let closing = spaces == n && (b[i] == 0x5D || b[i] == 0x7D)
            if spaces <= n && !closing {
                throw fail("a flow collection's continuation line must be indented more than its parent")
            }
        }
    }

    /// A node inside a flow collection.
    mutating func parseFlowNode(parent n: Int, path: String) throws(SyntaxError) -> Value {
        var props = NodeProperties()
        if peek() == 0x21 || peek() == 0x26 {
            try parseProperties(&props, flow: true)
            try skipFlowSeparation(parent: n)
        }
        let startCount = nodeCount
        let c = peek()
        var v: Value
        switch c {
        case 0x2A:
            if !props.isEmpty { throw fail("an alias cannot have a tag or an anchor") }
            return try parseAlias()
        case 0x5B:
            v = try applyTag(props, to: parseFlowSequence(parent: n, path: path))
        case 0x7B:
            v = try applyTag(props, to: parseFlowMapping(parent: n, path: path))
        case 0x22, 0x27:
            let p = mark
            let s = c == 0x22 ? try parseDoubleQuoted(parent: n, flow: true) : try parseSingleQuoted(parent: n, flow: true)
            v = try scalarNode(s, plain: false, props: props, at: p)
        case 0, 0x2C, 0x5D, 0x7D:
            return try finishEmpty(props)
        case 0x3A where Self.isBlankOrEnd(peek(1)) || Self.isFlowIndicator(peek(1)):
            return try finishEmpty(props)
        default:
            let p = mark
            v = try scalarNode(try parsePlain(parent: n, flow: true), plain: true, props: props, at: p)
        }
        if let anchor = props.anchor { anchors[anchor] = (v, nodeCount - startCount) }
        return v
    }

    /// Whether the node at `i` is "JSON-like" (quoted or a flow collection): after one, a ':'
    /// needs no space to separate a value.
    private func startsJSONLike() -> Bool {
        var k = i
        // Skip properties on the same line.
        while k < b.count, b[k] == 0x21 || b[k] == 0x26 {
            while k < b.count, !Self.isBlankOrEnd(b[k]), !Self.isFlowIndicator(b[k]) { k += 1 }
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
        }
        guard k < b.count else { return false }
        let c = b[k]
        return c == 0x22 || c == 0x27 || c == 0x5B || c == 0x7B
    }

    /// At ':' after a key: is it the key/value separator?
    private func atFlowValueIndicator(afterJSONLike: Bool) -> Bool {
        guard peek() == 0x3A else { return false }
        let next = peek(1)
        return afterJSONLike || Self.isBlankOrEnd(next) || Self.isFlowIndicator(next)
    }

    mutating func parseFlowSequence(parent n: Int, path: String) throws(SyntaxError) -> Value {
        let open = position
        try enter()
        defer { depth -= 1 }
        i += 1
        let base = beginSequence()
        while true {
            try skipFlowSeparation(parent: n)
            guard i < b.count else { throw fail("unterminated flow sequence (missing ']')", at: open) }
            let c = b[i]
            if c == 0x5D { i += 1; break }
            if c == 0x2C { throw fail("unexpected ',' in a flow sequence") }
            let itemPath = recordPositions ? "\(path)[\(itemStack.count - base)]" : ""
            if recordPositions { recordPosition(itemPath, at: mark) }
            let item: Value
            if c == 0x3F && (Self.isBlankOrEnd(peek(1)) || Self.isFlowIndicator(peek(1))) {
                // Explicit key: a single-pair mapping.
                i += 1
                try skipFlowSeparation(parent: n)
                let key: Value = (peek() == 0x3A || peek() == 0x2C || peek() == 0x5D) ? .null : try parseFlowNode(parent: n, path: "")
                try skipFlowSeparation(parent: n)
                var value: Value = .null
                if peek() == 0x3A {
                    i += 1
                    try skipFlowSeparation(parent: n)
                    if peek() != 0x2C && peek() != 0x5D { value = try parseFlowNode(parent: n, path: "") }
                }
                guard let k = Self.keyString(key) else { throw Self.keyTooLarge(at: position) }
                item = .object(OrderedMap(uniqueSlots: [OrderedMap.Slot(k, value)]))
                nodeCount += 1
            } else {
                let keyPos = mark
                let keyLine = line
                let jsonLike = startsJSONLike()
                let node = try parseFlowNode(parent: n, path: itemPath)
                let afterNode = (i, line, lineStart)
                try skipFlowSeparation(parent: n)
                if atFlowValueIndicator(afterJSONLike: jsonLike) {
                    guard line == keyLine else {
                        throw fail("an implicit key in a flow sequence must be on a single line", at: keyPos)
                    }
                    i += 1
                    try skipFlowSeparation(parent: n)
                    var value: Value = .null
                    if peek() != 0x2C && peek() != 0x5D { value = try parseFlowNode(parent: n, path: "") }
                    guard let k = Self.keyString(node) else { throw Self.keyTooLarge(at: position(of: keyPos)) }
                    item = .object(OrderedMap(uniqueSlots: [OrderedMap.Slot(k, value)]))
                    nodeCount += 1
                } else {
                    _ = afterNode
                    item = node
                }
            }
            itemStack.append(item)
            try skipFlowSeparation(parent: n)
            guard i < b.count else { throw fail("unterminated flow sequence (missing ']')", at: open) }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x5D { i += 1; break }
            throw fail("expected ',' or ']' in a flow sequence")
        }
        nodeCount += 1
        return .array(finishSequence(base))
    }

    mutating func parseFlowMapping(parent n: Int, path: String) throws(SyntaxError) -> Value {
        let open = position
        try enter()
        defer { depth -= 1 }
        i += 1
        var st = beginMap()
        while true {
            try skipFlowSeparation(parent: n)
            guard i < b.count else { throw fail("unterminated flow mapping (missing '}')", at: open) }
            let c = b[i]
            if c == 0x7D { i += 1; break }
            if c == 0x2C { throw fail("unexpected ',' in a flow mapping") }
            let keyPos = mark
            let key: Value
            var jsonLike = false
            var isMerge = false
            if c == 0x3F && (Self.isBlankOrEnd(peek(1)) || Self.isFlowIndicator(peek(1))) {
                i += 1
                try skipFlowSeparation(parent: n)
                key = (peek() == 0x3A || peek() == 0x2C || peek() == 0x7D) ? .null : try parseFlowNode(parent: n, path: "")
            } else {
                jsonLike = startsJSONLike()
                isMerge = c == 0x3C && peek(1) == 0x3C
                key = try parseFlowNode(parent: n, path: "")
                isMerge = isMerge && key == .string("<<")
            }
            try skipFlowSeparation(parent: n)
            var value: Value = .null
            let childPath = recordPositions ? childPathFor(path, key) : ""
            if recordPositions { recordPosition(childPath, at: keyPos) }
            if atFlowValueIndicator(afterJSONLike: jsonLike) {
                i += 1
                try skipFlowSeparation(parent: n)
                if peek() != 0x2C && peek() != 0x7D { value = try parseFlowNode(parent: n, path: childPath) }
            }
            if isMerge {
                try addMerge(&st, value, at: keyPos)
            } else {
                try addEntry(&st, key: key, value: value, at: keyPos)
            }
            try skipFlowSeparation(parent: n)
            guard i < b.count else { throw fail("unterminated flow mapping (missing '}')", at: open) }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x7D { i += 1; break }
            throw fail("expected ',' or '}' in a flow mapping")
        }
        nodeCount += 1
        return .object(finishMap(st))
    }
}
