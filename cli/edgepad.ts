#!/usr/bin/env node
/**
 * `edgepad` command line. `edgepad run fn.js --method POST --path /x --body '{}'` runs one
 * invocation on the real runtime and prints the response, console lines and metrics.
 */
import { runCommand } from './run-command.ts'

const USAGE = `Usage: edgepad <command> [options]

Commands:
  run <file>   Run a function once and print its response, console output and metrics.
  server       Start the Edgepad server (configured by EDGEPAD_* variables; see the README).

Run 'edgepad run --help' for the options of run.`

const [command, ...rest] = process.argv.slice(2)
if (command === 'run') {
  process.exitCode = await runCommand(rest, process.stdout, process.stderr)
} else if (command === 'server') {
  // The server's own entry point: same config, same output, same signals as `npm run server`.
  await import('../server/main.ts')
} else if (!command || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE + '\n')
} else {
  process.stderr.write(`edgepad: unknown command '${command}'\n\n${USAGE}\n`)
  process.exitCode = 2
}
