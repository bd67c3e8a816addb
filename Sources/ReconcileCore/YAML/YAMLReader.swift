/// Reads YAML 1.2 streams (as Kubernetes users write them) into `Value` trees.
///
/// The reader is our own (the project has no dependencies). It works on UTF-8 bytes with index
/// arithmetic and builds values directly, without an intermediate event list, because snapshots
/// of tens of thousands of objects are normal. See docs/yaml.md for the supported subset.
public enum YAMLReader {
    /// Every document of a stream. A stream with no document at all (empty, or only comments)
    /// gives an empty list, as the YAML spec says; an explicit empty document (`---` with nothing)
    /// gives a `.null` value.
    /// recordPositions: fill `ParsedDocument.fieldPositions` keyed by field path
    /// ("spec.containers[0].image"); map entries are positioned at their key.
    public static func parseStream(_ text: String, recordPositions: Bool = false) throws(SyntaxError) -> [ParsedDocument] {
        try parseStream(bytes: Array(text.utf8), recordPositions: recordPositions)
    }

    /// detacher: takes each document's `items` out of its tree as they are read (loading Lists).
    public static func parseStream(bytes: [UInt8], recordPositions: Bool = false, detacher: ListItemDetacher = .off) throws(SyntaxError) -> [ParsedDocument] {
        try YAMLInputCheck.validate(bytes)
        var parser = YAMLParser(bytes, recordPositions: recordPositions, detacher: detacher)
        return try parser.parseStream()
    }

    /// Exactly one document (error if more than one); an empty stream is `.null`.
    public static func parse(_ text: String) throws(SyntaxError) -> Value {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws(SyntaxError) -> Value {
        let docs = try parseStream(bytes: bytes)
        if docs.count > 1 {
            throw SyntaxError("expected a single YAML document, found \(docs.count)", at: docs[1].position)
        }
        return docs.first?.value ?? .null
    }
}
