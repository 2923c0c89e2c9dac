/**
 * @file The `kiosk` command: a second front door onto the same Node modules the Electron
 * main process uses. Each command group lives in its own file and is registered here.
 */
import { Command, CommanderError } from 'commander';
import { buildModelsCommand } from './models';
import { CommandFailed, EXIT_USAGE, exitCodeFor, formatErrorLine } from './output';
import { registerCommands } from './registry';

export function buildProgram(): Command {
  const program = new Command('kiosk')
    .description('IntelliFace Kiosk — on-device face attendance terminal tools')
    .option('--json', 'machine-readable output on stdout')
    .option('--data-dir <dir>', 'data directory (env KIOSK_DATA_DIR; default: the app data folder)')
    .option('--models-dir <dir>', 'models directory (env KIOSK_MODELS_DIR; default: ./models)')
    .option('--key-file <file>', 'key-encryption key file (env KIOSK_KEY_FILE; default: <data dir>/kek.key, created on first use)')
    .showHelpAfterError(false)
    .configureOutput({
      // Commander's own usage errors: one line on stderr, no help dump.
      outputError: (str, write) => write(`kiosk: ${str.replace(/^error: /, '').trim()}\n`),
    })
    .exitOverride();
  program.addCommand(buildModelsCommand());
  registerCommands(program);
  // Every subcommand inherits the one-line error style and exit override.
  const apply = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ outputError: (str, write) => write(`kiosk: ${str.replace(/^error: /, '').trim()}\n`) });
      apply(sub);
    }
  };
  apply(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with a CommanderError of exit code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    // A CommandFailed has already printed its result; anything else gets one stderr line.
    if (!(err instanceof CommandFailed)) process.stderr.write(`${formatErrorLine(err)}\n`);
    return exitCodeFor(err);
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${formatErrorLine(err)}\n`);
      process.exitCode = 1;
    },
  );
}
