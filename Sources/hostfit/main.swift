import HostfitCommandLine

CommandMain.run(HostfitCommand.self)
