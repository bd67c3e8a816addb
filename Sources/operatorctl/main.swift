CLI.run(arguments: Array(CommandLine.arguments.dropFirst()))
