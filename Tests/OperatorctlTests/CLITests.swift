import Testing
@testable import operatorctl

@Suite struct CLITests {
    @Test func unknownCommandIsUsageError() {
        #expect(CLI.run(arguments: ["frobnicate"]) == 2)
    }
}
