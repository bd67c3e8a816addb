/// The constant parts of desired objects that builders share between every object they build
/// (`static let`s), listed for `YAMLRenderCache`, so a large plan prints each of them once per
/// indentation instead of once per server. Adding a part here changes no output, only speed; a
/// part missing here is simply printed each time.
public enum SharedDesiredParts {
    public static var all: [Value] {
        [
            .array(ProxyRBACBuilder.rules),
            ProxyDeploymentBuilder.startupProbe,
            ProxyDeploymentBuilder.livenessProbe,
            ProxyDeploymentBuilder.readinessProbe,
            ProxyDeploymentBuilder.podSecurity,
            ProxyDeploymentBuilder.podSecurityOpenShift,
            ProxyDeploymentBuilder.containerSecurity,
            ProxyDeploymentBuilder.containerSecurityOpenShift,
        ]
    }
}
