/// The cluster's other actors that `converge --assume-ready` plays, in the order they act within a
/// round: the Deployment controller first, so the proxy runner sees ready proxies in the same
/// round; the StatefulSet controller after the runner, so the runner's StatefulSet gets pods at
/// once; Services last, so every Service created earlier in the round gets its address.
/// Add a rule here (one line) and nowhere else.
public enum WorldRules {
    public static let standard: [any WorldRule] = [
        WorkloadControllerRule(.deployment),
        ProxyRunnerRule(),
        WorkloadControllerRule(.statefulSet),
        ServiceControllerRule(),
        VMCPRuntimeRule(),
    ]
}
