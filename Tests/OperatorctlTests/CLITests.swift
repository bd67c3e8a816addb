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

    /// Inside a `kind: List` each item's fields keep their own line and column (items 0 and 10
    /// share the prefix `items[1` textually; only item 10's field may be reported).
    @Test func validatePositionsInsideAListItem() {
        var input = "apiVersion: v1\nkind: List\nitems:\n"
        for i in 0..<11 {
            input += """
                - apiVersion: toolhive.stacklok.dev/v1beta1
                  kind: MCPServer
                  metadata: {name: s\(i)}
                  spec:
                    image: ghcr.io/x/y
                    transport: \(i == 10 ? "websocket" : "stdio")

                """
        }
        let out = run(["validate", "-"], stdin: input)
        #expect(out.exitCode == 1)
        // Item i starts on line 4 + 6i; its transport is 5 lines further, indented by 4.
        #expect(out.stderr == "-:69:5: error: MCPServer/default/s10: spec.transport: Unsupported value: \"websocket\": supported values: \"stdio\", \"streamable-http\", \"sse\"\n", "\(out.stderr)")
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

    /// `validate` reads the inputs once into a packed snapshot and a second time, with positions,
    /// only the files that hold a problem: references still resolve across every file, and the
    /// messages keep their files, lines and order.
    @Test func validateAcrossFilesReadsOnlyTheFilesWithProblemsAgain() throws {
        let dir = NSTemporaryDirectory() + "validate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func server(_ name: String, group: String, transport: String = "stdio") -> String {
            "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata:\n  name: \(name)\nspec:\n  image: ghcr.io/x/y\n  transport: \(transport)\n  groupRef:\n    name: \(group)\n"
        }
        let files = [
            "a.yaml": "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPGroup\nmetadata:\n  name: g\n",
            // Refers to a.yaml's group (no warning); one bad field.
            "b.yaml": server("s1", group: "g", transport: "websocket"),
            // A List: item 1 refers to a group nowhere (a warning at its own line).
            "c.yaml": "apiVersion: v1\nitems:\n" + [server("s2", group: "g"), server("s3", group: "nowhere")].map {
                "- " + $0.split(separator: "\n").joined(separator: "\n  ") + "\n"
            }.joined() + "kind: List\n",
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let stdin = server("s4", group: "g")  // clean: read once
        let out = run(["validate", dir, "-"], stdin: stdin)
        #expect(out.exitCode == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == """
            \(dir)/b.yaml:7:3: error: MCPServer/default/s1: spec.transport: Unsupported value: "websocket": supported values: "stdio", "streamable-http", "sse"
            \(dir)/c.yaml:20:7: warning: MCPServer/default/s3: spec.groupRef.name: MCPGroup "nowhere" not found in namespace "default" (the operator will report it in status)

            """, "\(out.stderr)")
        // Without the error, the warning alone: exit 0 and the count of every object read.
        try server("s1", group: "g").write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        let relaxed = run(["validate", dir, "-"], stdin: stdin)
        #expect(relaxed.exitCode == 0, "\(relaxed.stderr)")
        #expect(relaxed.stdout == "5 objects checked: 0 errors, 1 warning\n")
        #expect(relaxed.stderr == "\(dir)/c.yaml:20:7: warning: MCPServer/default/s3: spec.groupRef.name: MCPGroup \"nowhere\" not found in namespace \"default\" (the operator will report it in status)\n", "\(relaxed.stderr)")
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

/// `simulate` and `convert` stream their documents (in parallel chunks); the streamed bytes must be
/// those of the whole document written at once: the golden plans (written whole by the golden
/// harness) for every fixture, in YAML and JSON.
@Suite struct StreamedOutputTests {
    static var inputs: [URL] {
        let root = CLIPaths.packageRoot.appendingPathComponent("Fixtures")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: root.path)) ?? []
        return files.filter { $0.hasSuffix("/input.yaml") }.sorted().map { root.appendingPathComponent($0) }
    }

    static func environment(for input: URL) throws -> [String: String] {
        let file = input.deletingLastPathComponent().appendingPathComponent("env.yaml")
        guard let data = FileManager.default.contents(atPath: file.path) else { return [:] }
        var vars: [String: String] = [:]
        for (k, v) in try YAMLReader.parse(String(decoding: data, as: UTF8.self)).objectValue ?? OrderedMap() {
            vars[k] = v.stringValue ?? JSONWriter.write(v, pretty: false)
        }
        return vars
    }

    @Test func everyFixtureHasAGoldenPlan() {
        #expect(Self.inputs.count > 50)
        for input in Self.inputs {
            #expect(FileManager.default.fileExists(atPath: input.deletingLastPathComponent().appendingPathComponent("plan.yaml").path), "\(input.path)")
        }
    }

    @Test func simulateStreamsTheGoldenPlan() throws {
        for input in Self.inputs {
            let golden = input.deletingLastPathComponent().appendingPathComponent("plan.yaml")
            guard let data = FileManager.default.contents(atPath: golden.path) else { continue }
            let expected = String(decoding: data, as: UTF8.self)
            let environment = try Self.environment(for: input)
            let yaml = run(["simulate", input.path], environment: environment)
            #expect(yaml.exitCode == 0, "\(input.path): \(yaml.stderr)")
            #expect(yaml.stdout == expected, "\(input.path)")
            let json = run(["simulate", input.path, "-o", "json"], environment: environment)
            #expect(json.stdout == JSONWriter.write(try YAMLReader.parse(expected)), "\(input.path)")
        }
    }

    /// Enough servers for many chunks on every worker, with the builders' shared parts printed at
    /// two platforms' values: the streamed plan is the whole plan written at once.
    @Test(arguments: ["kubernetes", "openshift"])
    func simulateStreamsALargePlanInOrder(platform: String) throws {
        var yaml = ""
        for i in 0..<150 {
            yaml += """
                ---
                apiVersion: toolhive.stacklok.dev/v1beta1
                kind: MCPServer
                metadata: {name: s\(i), namespace: ns\(i % 7)}
                spec: {image: example/fetch:\(i % 3), transport: \(i % 2 == 0 ? "sse" : "streamable-http"), proxyPort: \(8000 + i % 5)}

                """
        }
        let environment = ["TOOLHIVE_PLATFORM": platform]
        let out = run(["simulate", "-"], stdin: yaml, environment: environment)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let snapshot = try SnapshotLoader().load([InputSource(path: "-", bytes: Array(yaml.utf8))])
        let env = OperatorEnvironment(variables: environment, now: .simulationEpoch)
        #expect(out.stdout == YAMLWriter.write(Simulator.simulate(snapshot, env: env).value()))
        #expect(out.stdout.components(separatedBy: "- controller: MCPServer").count == 151)
    }

    @Test func convergeStreamsTheGoldenList() throws {
        var checked = 0
        for input in Self.inputs {
            let golden = input.deletingLastPathComponent().appendingPathComponent("converged.yaml")
            guard let data = FileManager.default.contents(atPath: golden.path) else { continue }
            let expected = String(decoding: data, as: UTF8.self)
            let out = run(["converge", "--assume-ready", input.path], environment: try Self.environment(for: input))
            #expect(out.exitCode == 0, "\(input.path): \(out.stderr)")
            #expect(out.stdout == expected, "\(input.path)")
            checked += 1
        }
        #expect(checked >= 4)
    }

    @Test func convertStreamsTheWholeList() throws {
        for input in Self.inputs.prefix(25) {
            let data = FileManager.default.contents(atPath: input.path) ?? Data()
            let loaded = try SnapshotLoader(fillServerMetadata: false).loadObjects([InputSource(path: input.path, bytes: Array(data))])
            let whole = ObjectList.value(loaded.map(\.object))
            #expect(run(["convert", input.path, "-o", "json"]).stdout == JSONWriter.write(whole), "\(input.path)")
            #expect(run(["convert", input.path]).stdout == YAMLWriter.write(whole), "\(input.path)")
        }
    }
}
