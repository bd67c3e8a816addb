/// Writes a document shaped `{header..., listKey: [items...]}` (the contract's Plan and List) one
/// item at a time, with exactly the bytes `YAMLWriter.write` / `JSONWriter.write` give for the
/// whole tree. A 10,000-server plan is ~100 MB of text: streaming it keeps one reconcile's output
/// in memory instead of all of them.
///
/// Items are encoded on their own (`encode`, position-independent, so callers may encode in
/// parallel) and joined in order (`append`), which adds the separators.
public struct ListDocumentWriter: Sendable {
    public enum Format: String, Sendable { case yaml, json }

    public let format: Format
    public let header: OrderedMap
    public let listKey: String
    public private(set) var itemCount = 0

    /// `header` holds the entries before the list (`apiVersion`, `kind`); the list comes last.
    public init(format: Format, header: OrderedMap, listKey: String) {
        self.format = format
        self.header = header
        self.listKey = listKey
    }

    /// The header entries and the list's key.
    public func start(into out: inout [UInt8]) {
        switch format {
        case .yaml:
            var cache = YAMLRenderCache.off
            if !header.isEmpty { YAMLWriter.emitMap(header, indent: 0, firstPadded: true, into: &out, cache: &cache) }
            YAMLWriter.emitKey(listKey, into: &out)
            out.append(0x3A)
        case .json:
            out.append(0x7B)
            for (k, v) in header {
                JSONWriter.newline(&out, 1, 0)
                JSONWriter.appendQuoted(k, into: &out)
                out.append(contentsOf: [0x3A, 0x20])
                JSONWriter.emit(v, into: &out, indent: 1, sortKeys: false)
                out.append(0x2C)
            }
            JSONWriter.newline(&out, 1, 0)
            JSONWriter.appendQuoted(listKey, into: &out)
            out.append(contentsOf: [0x3A, 0x20, 0x5B])
        }
    }

    /// One item's bytes, independent of its position in the list. `cache` carries collections
    /// already printed from item to item (YAML only); the bytes are the same without it.
    public func encode(_ item: Value, into out: inout [UInt8], cache: inout YAMLRenderCache) {
        switch format {
        case .yaml: YAMLWriter.emitSequence([item], indent: 0, firstPadded: true, into: &out, cache: &cache)
        case .json: JSONWriter.emit(item, into: &out, indent: 2, sortKeys: false)
        }
    }

    /// Appends an item `encode` produced, with the separator its position needs.
    public mutating func append(encoded bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        switch format {
        case .yaml:
            if itemCount == 0 { out.append(0x0A) }
        case .json:
            if itemCount > 0 { out.append(0x2C) }
            JSONWriter.newline(&out, 2, 1)
        }
        out.append(contentsOf: bytes)
        itemCount += 1
    }

    /// Encodes and appends one item.
    public mutating func append(_ item: Value, into out: inout [UInt8]) {
        var bytes: [UInt8] = []
        var cache = YAMLRenderCache.off
        encode(item, into: &bytes, cache: &cache)
        append(encoded: bytes[...], into: &out)
    }

    /// Closes the list and the document.
    public func finish(into out: inout [UInt8]) {
        switch format {
        case .yaml:
            if itemCount == 0 { out.append(contentsOf: " []\n".utf8) }
        case .json:
            if itemCount > 0 { JSONWriter.newline(&out, 1, 0) }
            out.append(0x5D)
            JSONWriter.newline(&out, 0, 0)
            out.append(contentsOf: [0x7D, 0x0A])
        }
    }
}
