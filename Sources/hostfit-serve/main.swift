import HostfitCommandLine

CommandMain.run(ServeCommand.self)
