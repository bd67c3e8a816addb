extension ControllerSet {
    /// Every controller this project implements, in the order they are listed in plans' ties.
    /// Add a new controller here (one line) and nowhere else.
    public static let all = ControllerSet([
        MCPServerReconciler(),
        MCPGroupReconciler(),
        MCPRegistryReconciler(),
    ])
}
