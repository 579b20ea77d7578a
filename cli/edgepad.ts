#!/usr/bin/env node
/**
 * `edgepad` command line. `edgepad run fn.js --method POST --path /x --body '{}'` runs one
 * invocation on the real runtime and prints the response, console lines and metrics.
 */
import { logsCommand } from './logs-command.ts'
import { publishCommand } from './publish-command.ts'
import { runCommand } from './run-command.ts'
import { testCommand } from './test-command.ts'

const USAGE = `Usage: edgepad <command> [options]

Commands:
  run <file>   Run a function once and print its response, console output and metrics.
  server       Start the Edgepad server (configured by EDGEPAD_* variables; see the README).
  publish <dir|function>  Publish a function directory or an IDE function to a server.
  test <function>         Run an IDE function's saved test cases (--reporter junit|json).
  logs <function>         Print a function's invocation log (--remote, --follow).

Run 'edgepad <command> --help' for a command's options.`

const [command, ...rest] = process.argv.slice(2)
if (command === 'run') {
  process.exitCode = await runCommand(rest, process.stdout, process.stderr)
} else if (command === 'publish') {
  process.exitCode = await publishCommand(rest, process.stdout, process.stderr)
} else if (command === 'test') {
  process.exitCode = await testCommand(rest, process.stdout, process.stderr)
} else if (command === 'logs') {
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  process.once('SIGTERM', () => stop.abort())
  process.exitCode = await logsCommand(rest, process.stdout, process.stderr, stop.signal)
} else if (command === 'server') {
  // The server's own entry point: same config, same output, same signals as `npm run server`.
  await import('../server/main.ts')
} else if (!command || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE + '\n')
} else {
  process.stderr.write(`edgepad: unknown command '${command}'\n\n${USAGE}\n`)
  process.exitCode = 2
}
