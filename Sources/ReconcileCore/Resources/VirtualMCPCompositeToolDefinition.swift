/// A composite tool workflow, as written inline in `spec.config.compositeTools[]` or as the whole
/// spec of a VirtualMCPCompositeToolDefinition. Kept as the tree it was read as; the validator and
/// the config generator read the fields they need from it.
public struct CompositeToolDefinition: Sendable, Equatable {
    /// The CompositeToolConfig keys, in the order the vMCP config declares them; anything else in
    /// the object (e.g. a stray `failureMode`) is not part of the schema and is not copied.
    public static let keys = ["name", "description", "parameters", "timeout", "steps", "output", "annotations"]

    public var tree: Value

    public init(_ tree: Value) { self.tree = tree }
    public init(definition object: KubeObject) { tree = object.spec }

    public var name: String { tree["name"]?.stringValue ?? "" }

    /// The tool as it goes into `compositeTools` of config.yaml: known keys only, in schema order.
    public var configValue: Value {
        var m = OrderedMap()
        for k in Self.keys {
            if let v = tree[k], !v.isNull { m[k] = v }
        }
        return .object(m)
    }
}
