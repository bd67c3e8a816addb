import Foundation
import ReconcileCore

exit(CLI.run(arguments: Array(CommandLine.arguments.dropFirst())))
