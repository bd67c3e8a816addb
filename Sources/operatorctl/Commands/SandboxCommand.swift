import KubeAdapter
import ReconcileCore

/// `operatorctl sandbox`: a local stand-in for a Kubernetes API server, on loopback, to run
/// `kubectl` and `operatorctl run` against without a cluster.
struct SandboxCommand: Command {
    static let name = "sandbox"
    static let summary = "Serve an in-memory Kubernetes API on 127.0.0.1 (for kubectl and operatorctl run)"
    static let usageLine = "operatorctl sandbox [--port P] [--assume-ready] [-f SNAPSHOT]..."
    static let details = """
        Serves discovery, get/list/watch/create/update/patch/delete and /status for the core,
        apps, rbac, coordination and events kinds and the ToolHive kinds, with resourceVersions
        and 409 conflicts. Loopback only. Point kubectl at it with
          kubectl config set-cluster sandbox --server=http://127.0.0.1:P
        (use --validate=false with kubectl create/apply: there is no OpenAPI document).
        With --assume-ready the sandbox also plays the cluster's other actors, like
        `converge --assume-ready`: Deployments and StatefulSets get ready Pods, Services get
        addresses, the ToolHive proxy runner creates its StatefulSet and Services, the vMCP
        runtime reports its status. They write through the API, so watches see them; the
        rules read the operator's environment variables (TOOLHIVE_RUNNER_IMAGE, ...).
        Stops on SIGTERM/SIGINT.
        """
    static let options: [OptionSpec] = [
        .value("port", short: "p", name: "P", help: "Port on 127.0.0.1 (default 8001; 0 picks a free one)"),
        .flag("assume-ready", help: "Play the Deployment/StatefulSet/Service controllers, kubelet, proxy runner and vMCP runtime"),
    ] + CommonOptions.input

    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        var port: UInt16 = 8001
        if let raw = args.value("port") {
            guard let p = UInt16(raw) else { return .usageError(UsageError(message: "--port: expected 0-65535, got \"\(raw)\""), usage) }
            port = p
        }
        var objects: [KubeObject] = []
        if !InputFiles.paths(args).isEmpty {
            do throws(LoadErrors) {
                objects = try InputFiles.loadObjects(args, context: context).map(\.object)
            } catch {
                return .inputErrors(error)
            }
        }
        let assumeReady = args.has("assume-ready")
        let env = OperatorEnvironment(variables: context.environment, now: .simulationEpoch)
        let server = SandboxServer(port: port, objects: objects, assumeReady: assumeReady, environment: env)
        do throws(HTTPServerError) {
            try server.start()
        } catch {
            var out = CommandOutput(exitCode: 1)
            out.error("operatorctl sandbox: error: \(error)")
            return out
        }
        CLI.printNow("sandbox API server listening on \(server.url) (\(objects.count) objects loaded\(assumeReady ? ", assuming workloads become ready" : "")); Ctrl-C stops it\n")
        _ = runBlocking { await waitForTerminationSignal() }
        server.stop()
        return CommandOutput()
    }
}
