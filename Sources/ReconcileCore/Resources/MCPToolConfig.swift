/// An MCPToolConfig: a tool allow-list and per-tool renames/descriptions, consumed by MCPServers
/// and by a VirtualMCPServer's `aggregation.tools[].toolConfigRef`.
public struct MCPToolConfigSpec: Sendable, Equatable {
    public var toolsFilter: [String]
    /// tool name → override object, in the order written.
    public var toolsOverride: OrderedMap

    public init(_ object: KubeObject) throws(FieldError) {
        let spec = FieldReader(object.spec, path: "spec")
        toolsFilter = try spec.stringList("toolsFilter")
        toolsOverride = try spec.optionalMap("toolsOverride")?.value.objectValue ?? OrderedMap()
        for (k, v) in toolsOverride where v.objectValue == nil {
            throw spec.child("toolsOverride").child(k).typeError("a map")
        }
    }
}

/// The change-detection hash the config controllers publish as `status.configHash`: FNV-1a over
/// compact JSON of the spec with sorted keys, so key order in the manifest does not matter.
public enum ConfigHash {
    public static func of(spec: Value) -> String {
        FNV1a.hex32(JSONWriter.write(spec, pretty: false, sortKeys: true))
    }
}
