/// MCPToolConfig (spec §8.2): `Valid`, `configHash`, and a finalizer that blocks deletion while an
/// MCPServer (`spec.toolConfigRef`) or a VirtualMCPServer (`aggregation.tools[].toolConfigRef`) uses it.
public struct MCPToolConfigReconciler: Reconciler {
    public static let finalizer = "toolhive.stacklok.dev/toolconfig-finalizer"
    public init() {}
    public var name: String { "MCPToolConfig" }
    public var primaryKind: GroupKind { Kinds.mcpToolConfig }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        ReferencedConfig.reconcileHashed(
            controller: name, finalizer: Self.finalizer, referencedBy: .toolConfigRef, snapshot: snapshot, key: key, env: env
        ) { object in
            do throws(FieldError) {
                _ = try MCPToolConfigSpec(object)
                return nil
            } catch {
                return error.description
            }
        }
    }

    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        ReferencedConfig.referenced(by: changed, through: .toolConfigRef, kind: primaryKind)
    }
}
