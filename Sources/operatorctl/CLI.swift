#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KubeAdapter
import ReconcileCore

/// What a command produced. Commands write into this instead of the process streams, so tests
/// run them in-process and check every byte.
struct CommandOutput: Sendable {
    var exitCode: Int32 = 0
    var stdout: String = ""
    var stderr: String = ""
    /// Output too large to build as one string (a 10,000-server plan is ~100 MB): produced in
    /// chunks after `stdout`, each handed to standard output as soon as it is ready.
    var streamed: StreamedOutput? = nil

    mutating func error(_ line: String) { stderr += line.hasSuffix("\n") ? line : line + "\n" }
}

/// Produces output chunk by chunk through `write`.
typealias StreamedOutput = @Sendable (_ write: ([UInt8]) -> Void) -> Void

/// The process context a command may read: arguments, standard input, environment variables.
struct CommandContext: Sendable {
    var environment: [String: String]
    var readStdin: @Sendable () -> [UInt8]
    /// Standard input's descriptor, when it is the process's: then inputs read it in blocks
    /// instead of through `readStdin` (which tests set).
    var stdinDescriptor: Int32? = nil

    static var process: CommandContext {
        CommandContext(environment: ProcessEnvironment.variables, readStdin: {
            FileIO.readAll(FileIO.standardInput) ?? []
        }, stdinDescriptor: FileIO.standardInput)
    }
}

/// One `operatorctl` subcommand.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    static var usageLine: String { get }
    static var details: String { get }
    static var options: [OptionSpec] { get }
    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput
}

extension Command {
    static var usage: String {
        var text = "\(summary)\n\nUsage:\n  \(usageLine)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        text += "\nFlags:\n\(ParsedArguments.help(for: options + [helpOption]))\n"
        return text
    }
}

let helpOption = OptionSpec.flag("help", short: "h", help: "Show help for this command")

/// Entry point shared by `main.swift` and the tests: parses the command and dispatches.
enum CLI {
    /// Computed, not stored: a stored array of metatypes is not Sendable.
    static var commands: [any Command.Type] {
        [
            SimulateCommand.self,
            ConvertCommand.self,
            ConvergeCommand.self,
            ValidateCommand.self,
            CRDsCommand.self,
            RunCommand.self,
            SandboxCommand.self,
            VersionCommand.self,
        ]
    }

    static let version = "0.1.0"

    static var usage: String {
        var text = "operatorctl runs the ToolHive operator's decisions offline against YAML snapshots, and live against a cluster.\n\nUsage:\n  operatorctl COMMAND [flags]\n\nCommands:\n"
        for c in commands {
            text += "  " + c.name + String(repeating: " ", count: max(1, 12 - c.name.count)) + c.summary + "\n"
        }
        text += "\nRun 'operatorctl COMMAND --help' for a command's flags.\n"
        return text
    }

    /// Runs a command and collects all of its output (streamed parts included) in `stdout`.
    static func execute(arguments: [String], context: CommandContext) -> CommandOutput {
        var out = dispatch(arguments: arguments, context: context)
        if let streamed = out.streamed {
            var bytes: [UInt8] = []
            streamed { bytes.append(contentsOf: $0) }
            out.stdout += String(decoding: bytes, as: UTF8.self)
            out.streamed = nil
        }
        return out
    }

    /// Parses and runs a command; streamed output is left for the caller to consume.
    static func dispatch(arguments: [String], context: CommandContext) -> CommandOutput {
        guard let name = arguments.first else {
            return CommandOutput(exitCode: 2, stderr: usage)
        }
        if name == "--help" || name == "-h" || name == "help" {
            if arguments.count > 1, let c = commands.first(where: { $0.name == arguments[1] }) {
                return CommandOutput(stdout: c.usage)
            }
            return CommandOutput(stdout: usage)
        }
        if name == "--version" { return CommandOutput(stdout: "operatorctl \(version)\n") }
        guard let command = commands.first(where: { $0.name == name }) else {
            return CommandOutput(exitCode: 2, stderr: "error: unknown command \"\(name)\" for \"operatorctl\"\n\n" + usage)
        }
        let rest = Array(arguments.dropFirst())
        let parsed: ParsedArguments
        do throws(UsageError) {
            parsed = try ParsedArguments.parse(rest, options: command.options + [helpOption])
        } catch {
            return CommandOutput(exitCode: 2, stderr: "error: \(error.message)\n\n" + command.usage)
        }
        if parsed.has("help") { return CommandOutput(stdout: command.usage) }
        return command.run(parsed, context: context)
    }

    /// Writes to stdout at once, for long-running commands that report before they return.
    static func printNow(_ text: String) {
        FileIO.write(text, to: FileIO.standardOutput)
    }

    /// The process's whole run: prints what the command produced and exits with its code.
    ///
    /// Exits while the command's results (the snapshot behind a streamed plan) are still held:
    /// the kernel takes the memory back at once, where releasing a 10,000-object snapshot object
    /// by object took time and ran teardown code at the moment the heap was fullest (its code
    /// pages were the last ~0.25 MB of `simulate`'s peak).
    static func run(arguments: [String]) -> Never {
        let out = dispatch(arguments: arguments, context: .process)
        if !out.stdout.isEmpty { FileIO.write(out.stdout, to: FileIO.standardOutput) }
        out.streamed? { FileIO.write($0, to: FileIO.standardOutput) }
        if !out.stderr.isEmpty { FileIO.write(out.stderr, to: FileIO.standardError) }
        withExtendedLifetime(out) { exit(out.exitCode) }
    }
}

struct VersionCommand: Command {
    static let name = "version"
    static let summary = "Print the operatorctl version"
    static let usageLine = "operatorctl version"
    static let details = ""
    static let options: [OptionSpec] = []
    static func run(_ args: ParsedArguments, context: CommandContext) -> CommandOutput {
        CommandOutput(stdout: "operatorctl \(CLI.version)\n")
    }
}
