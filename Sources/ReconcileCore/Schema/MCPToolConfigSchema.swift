/// MCPToolConfig (spec B §8.2): a tool filter and per-tool overrides.
enum MCPToolConfigSchema {
    static let kind = KindSchema(
        Kinds.mcpToolConfig, plural: "mcptoolconfigs", shortNames: ["tc", "toolconfig"],
        columns: [.condition("Valid", type: "Valid"), .age],
        spec: spec, status: SharedSchemas.configStatus)

    static let spec: SchemaNode = .object([
        "toolsFilter": .list(.string).set,
        "toolsOverride": SharedSchemas.toolOverride,
    ])
}
