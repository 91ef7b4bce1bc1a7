// Starts dynalite for the tests on 127.0.0.1, on a port the OS picks (no race for a "free" port), and prints that
// port on the line the Java side waits for. It stops when its standard input closes, so a test JVM that dies, however
// it dies, never leaves a server behind.
//
// node serve.js [--path DIR] [--port N] [--createTableMs MS] [--deleteTableMs MS] [--updateTableMs MS]
//   --path  keeps the tables in LevelDB under DIR (they survive a restart); in memory without it
//   --port  listens on N, for a restart on the port the last one had; a port the OS picks without it
'use strict'
const dynalite = require('dynalite')

const options = {}
const argv = process.argv.slice(2)
for (let i = 0; i + 1 < argv.length; i += 2) {
  const name = argv[i].replace(/^--/, '')
  options[name] = name === 'path' ? argv[i + 1] : Number(argv[i + 1])
}

const port = options.port || 0
delete options.port
const server = dynalite(options)
server.listen(port, '127.0.0.1', () => {
  console.log('dynalite ' + require('dynalite/package.json').version + ' listening on port ' + server.address().port
    + (options.path ? ' with LevelDB at ' + options.path : ' in memory'))
})

process.stdin.resume()
// connections a client keeps open would hold close() up: end them (dynalite closes its store with the server)
process.stdin.on('end', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
