import HostfitCommandLine

await CommandMain.runAsync(ServeCommand.self)
