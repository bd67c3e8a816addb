import ReconcileCore

/// The live side: runs the core's decisions against a real Kubernetes API server
/// (watch → cache → queue → core → apply). See docs/adapter.md.
public enum KubeAdapter {
    /// The field manager name used for server-side apply.
    public static let fieldManager = "toolhive-operator"
}
