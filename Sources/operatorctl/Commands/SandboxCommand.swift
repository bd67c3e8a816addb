import KubeAdapter
import ReconcileCore

/// `operatorctl sandbox`: a local stand-in for a Kubernetes API server, on loopback, to run
/// `kubectl` and `operatorctl run` against without a cluster.
struct SandboxCommand: Command {
    static let name = "sandbox"
    static let summary = "Serve an in-memory Kubernetes API on 127.0.0.1 (for kubectl and operatorctl run)"
    static let usageLine = "operatorctl sandbox [--port P] [-f SNAPSHOT]..."
    static let details = """
        Serves discovery, get/list/watch/create/update/patch/delete and /status for the core,
        apps, rbac, coordination and events kinds and the ToolHive kinds, with resourceVersions
        and 409 conflicts. Loopback only. Point kubectl at it with
          kubectl config set-cluster sandbox --server=http://127.0.0.1:P
        (use --validate=false with kubectl create/apply: there is no OpenAPI document).
        Stops on SIGTERM/SIGINT.
        """
    static let options: [OptionSpec] = [
        .value("port", short: "p", name: "P", help: "Port on 127.0.0.1 (default 8001; 0 picks a free one)"),
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
        let server = SandboxServer(port: port, objects: objects)
        do throws(HTTPServerError) {
            try server.start()
        } catch {
            var out = CommandOutput(exitCode: 1)
            out.error("operatorctl sandbox: error: \(error)")
            return out
        }
        CLI.printNow("sandbox API server listening on \(server.url) (\(objects.count) objects loaded); Ctrl-C stops it\n")
        _ = runBlocking { await waitForTerminationSignal() }
        server.stop()
        return CommandOutput()
    }
}
