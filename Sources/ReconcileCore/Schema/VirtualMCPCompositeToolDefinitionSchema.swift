/// VirtualMCPCompositeToolDefinition (spec B §8.3): one composite tool, the same schema as an
/// entry of a VirtualMCPServer's `spec.config.compositeTools`.
enum VirtualMCPCompositeToolDefinitionSchema {
    static let kind = KindSchema(
        Kinds.compositeToolDefinition, plural: "virtualmcpcompositetooldefinitions", shortNames: ["vmcpctd", "compositetool"],
        columns: [
            PrinterColumn("Workflow", "string", ".spec.name"), PrinterColumn("Status", "string", ".status.validationStatus"),
            .age, .condition("Ready", type: "Ready"),
        ],
        spec: SharedSchemas.compositeToolSpec, status: status)

    static let status: SchemaNode = .object([
        "conditions": SharedSchemas.conditions,
        "observedGeneration": .int64,
        "referencingVirtualServers": .list(.string).set,
        "validationErrors": .list(.string).atomic,
        "validationStatus": .string.enumOf("Valid", "Invalid", "Unknown"),
    ])
}
