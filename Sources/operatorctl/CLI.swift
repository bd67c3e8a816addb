import Foundation
import ReconcileCore

/// Entry point shared by `main.swift` and the tests: parses the command and dispatches.
enum CLI {
    static func run(arguments: [String]) -> Int32 {
        FileHandle.standardError.write(Data("operatorctl: not yet wired\n".utf8))
        return 2
    }
}
