import { Command, CommanderError } from 'commander';
import { EXIT, errorMessage, UserError } from '../util/errors.js';
import { setLogLevel } from '../util/log.js';
import { setCacheDir } from '../util/paths.js';
import { commands } from './commands.js';

export function buildProgram(): Command {
  const program = new Command('ringfence')
    .description('Container security from build to run: inventory, vulnerabilities, configuration, runtime.')
    .option('--debug', 'verbose logs and stack traces')
    .option('-q, --quiet', 'only errors on stderr, no progress')
    .option('--cache-dir <dir>', 'cache directory (default $XDG_CACHE_HOME/ringfence)')
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(oneLine(`ringfence: ${str.replace(/^error: /, '')}`)),
    });
  program.hook('preAction', (_root, action) => {
    const g = action.optsWithGlobals() as { debug?: boolean; quiet?: boolean; cacheDir?: string };
    setLogLevel(g);
    setCacheDir(g.cacheDir);
  });
  for (const register of commands) register(program);
  for (const sub of program.commands) sub.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function oneLine(s: string): string {
  return `${s.split('\n').find((l) => l.trim().length > 0) ?? s}\n`;
}

/** A reader that went away (`ringfence sbom x | head`) ends the run quietly, as Unix tools do. */
function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK);
  });
}

/** Runs the CLI; resolves to the process exit code. */
export async function run(argv: string[]): Promise<number> {
  exitQuietlyOnClosedStdout();
  const debug = argv.includes('--debug');
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; everything else it already printed.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
        return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof UserError) {
      process.stderr.write(`ringfence: ${err.message}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    process.stderr.write(`ringfence: internal error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT.INTERNAL;
  }
}
