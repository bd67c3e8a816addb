import Foundation
import Testing
@testable import operatorctl
@testable import ReconcileCore

/// Runs a command in-process with the given stdin and environment.
func run(_ args: [String], stdin: String = "", environment: [String: String] = [:]) -> CommandOutput {
    let bytes = Array(stdin.utf8)
    return CLI.execute(arguments: args, context: CommandContext(environment: environment) { bytes })
}

enum CLIPaths {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()
    static var badInput: URL { packageRoot.appendingPathComponent("Fixtures/bad-input") }
    static var shared: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

@Suite struct CLITests {
    @Test func unknownCommandIsUsageError() {
        let out = run(["frobnicate"])
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("unknown command \"frobnicate\""))
        #expect(out.stdout.isEmpty)
    }

    @Test func unknownFlagIsUsageError() {
        let out = run(["simulate", "--frobnicate", "x.yaml"])
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("error: unknown flag: --frobnicate"))
        #expect(out.stderr.contains("Usage:\n  operatorctl simulate"))
    }

    @Test func everyCommandHasHelp() {
        for c in CLI.commands {
            let out = run([c.name, "--help"])
            #expect(out.exitCode == 0, "\(c.name) --help")
            #expect(out.stdout.contains("Usage:"), "\(c.name) --help")
            #expect(out.stdout.contains("--help"), "\(c.name) --help")
        }
        #expect(run(["--help"]).stdout.contains("Commands:"))
    }

    @Test func flagForms() throws {
        let opts: [OptionSpec] = [.value("output", short: "o", help: ""), .value("filename", short: "f", repeatable: true, help: ""), .flag("explain", help: "")]
        let p = try ParsedArguments.parse(["-ojson", "-f", "a", "--filename=b", "c", "--explain", "--", "-d"], options: opts)
        #expect(p.value("output") == "json")
        #expect(p.all("filename") == ["a", "b"])
        #expect(p.positionals == ["c", "-d"])
        #expect(p.has("explain"))
        #expect(throws: UsageError.self) { try ParsedArguments.parse(["-o"], options: opts) }
        #expect(throws: UsageError.self) { try ParsedArguments.parse(["-o", "a", "-o", "b"], options: opts) }
    }

    @Test func simulateReadsStdinAndPrintsAValidPlan() throws {
        let input = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              a: b
            """
        let out = run(["simulate", "-", "-o", "json"], stdin: input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let plan = try JSONReader.parse(out.stdout)
        #expect(plan["apiVersion"] == "operatorctl.toolhive.dev/v1alpha1")
        #expect(plan["kind"] == "Plan")
        #expect(plan["reconciles"]?.arrayValue != nil)
    }

    @Test func convertNormalisesListsAndNamespaces() throws {
        let input = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: b}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a, namespace: other}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            """
        let out = run(["convert", "-", "-o", "json", "-n", "team"], stdin: input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let list = try JSONReader.parse(out.stdout)
        let names = (list["items"]?.arrayValue ?? []).map { "\($0[path: "metadata.namespace"]?.stringValue ?? "")/\($0[path: "metadata.name"]?.stringValue ?? "")" }
        // Sorted by apiVersion ("apps/v1" < "v1"), kind, namespace, name.
        #expect(names == ["team/d", "other/a", "team/b"])
        #expect(list["items"]?.arrayValue?.first?[path: "metadata.uid"] == nil)
    }

    @Test func noInputIsAnError() {
        let out = run(["simulate"])
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("no input"))
    }

    @Test func missingFileIsAnErrorWithPath() {
        let out = run(["simulate", "/nonexistent/x.yaml"])
        #expect(out.exitCode == 1)
        #expect(out.stderr == "/nonexistent/x.yaml:1:1: error: no such file or directory\n")
        #expect(out.stdout.isEmpty)
    }

    @Test func changedPrintsEnqueuedRequests() throws {
        let input = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: ns}
            """
        let out = run(["simulate", "-", "--changed", "ConfigMap/ns/c", "-o", "json"], stdin: input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let v = try JSONReader.parse(out.stdout)
        #expect(v["kind"] == "EnqueuedRequests")
        #expect(v[path: "changed.name"] == "c")
        let missing = run(["simulate", "-", "--changed", "ConfigMap/ns/nope"], stdin: input)
        #expect(missing.exitCode == 1)
    }

    @Test func shuffleSeedDoesNotChangeOutput() {
        let input = (0..<20).map { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\($0)}\n" }.joined(separator: "---\n")
        let a = run(["convert", "-"], stdin: input)
        let b = run(["convert", "-", "--shuffle-seed", "7"], stdin: input)
        #expect(a.exitCode == 0)
        #expect(a.stdout == b.stdout)
    }
}

/// Every file under Fixtures/bad-input has a `.expected` file holding the exact stderr, with
/// `PATH` standing for the file's path. Each must fail with exit 1, never crash.
@Suite struct BadInputTests {
    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: CLIPaths.badInput.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    }

    @Test(arguments: cases)
    func badInputGivesPositionedError(_ name: String) throws {
        let path = CLIPaths.badInput.appendingPathComponent(name).path
        let expectedURL = CLIPaths.badInput.appendingPathComponent(name + ".expected")
        for command in ["simulate", "convert"] {
            let out = run([command, path])
            #expect(out.exitCode == 1, "\(command) \(name)")
            #expect(out.stdout.isEmpty)
            let actual = out.stderr.replacingOccurrences(of: path, with: "PATH")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
                try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            let expected = String(decoding: FileManager.default.contents(atPath: expectedURL.path) ?? Data(), as: UTF8.self)
            #expect(actual == expected, "\(command) \(name)")
            // Every line has the PATH:LINE:COLUMN: error: shape.
            for line in actual.split(separator: "\n") {
                #expect(line.range(of: #"^PATH:\d+:\d+: error: "#, options: .regularExpression) != nil, "\(line)")
            }
        }
    }
}

@Suite struct ValidateAndCRDsCommandTests {
    @Test func validateReportsPositionedErrorsAndExitsOne() {
        let input = """
            apiVersion: toolhive.stacklok.dev/v1beta1
            kind: MCPServer
            metadata:
              name: bad
            spec:
              image: ghcr.io/x/y
              transport: websocket
              proxyPort: 70000
            """
        let out = run(["validate", "-"], stdin: input)
        #expect(out.exitCode == 1)
        #expect(out.stdout.isEmpty)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("-:7:3: error: MCPServer/default/bad: spec.transport: Unsupported value: \"websocket\"") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("-:8:3: error: MCPServer/default/bad: spec.proxyPort: Invalid value: 70000") }, "\(lines)")
    }

    @Test func validObjectsPassWithASummary() {
        let input = """
            apiVersion: toolhive.stacklok.dev/v1beta1
            kind: MCPGroup
            metadata:
              name: g
            spec:
              description: fine
            """
        let out = run(["validate", "-"], stdin: input)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout == "1 objects checked: 0 errors, 0 warnings\n")
    }

    @Test func missingReferenceIsAWarningAndStrictFails() {
        let input = """
            apiVersion: toolhive.stacklok.dev/v1beta1
            kind: MCPServer
            metadata:
              name: s
            spec:
              image: ghcr.io/x/y
              groupRef:
                name: nowhere
            """
        let relaxed = run(["validate", "-"], stdin: input)
        #expect(relaxed.exitCode == 0)
        #expect(relaxed.stderr.contains(": warning: MCPServer/default/s: spec.groupRef"), "\(relaxed.stderr)")
        #expect(run(["validate", "-", "--strict"], stdin: input).exitCode == 1)
    }

    @Test func crdsPrintsEveryKindOnceAndReadsBack() throws {
        let out = run(["crds"])
        #expect(out.exitCode == 0)
        let docs = try YAMLReader.parseStream(out.stdout).map(\.value)
        let kinds = docs.compactMap { $0[path: "spec.names.kind"]?.stringValue }.sorted()
        #expect(kinds == ["MCPExternalAuthConfig", "MCPGroup", "MCPRegistry", "MCPServer", "MCPToolConfig", "VirtualMCPCompositeToolDefinition", "VirtualMCPServer"])
        for d in docs {
            #expect(d["apiVersion"] == "apiextensions.k8s.io/v1")
            #expect(d[path: "spec.group"] == "toolhive.stacklok.dev")
        }
        let json = try JSONReader.parse(run(["crds", "-o", "json"]).stdout)
        #expect(json["items"]?.arrayValue?.count == 7)
    }
}
