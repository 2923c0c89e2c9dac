/**
 * @file Inference process entry. Started as an Electron utilityProcess by the app, or with
 * child_process.fork by the CLI and tests (see client.ts); it never imports `electron` — the
 * transport is detected at run time (transport.ts). All onnxruntime work happens here so its
 * blocking `run()` never freezes the UI or the main process.
 */
import { toErrorValue } from '../common/errors';
import { RequestHandler } from './handler';
import { helloMessage } from './protocol';
import { connectToParent } from './transport';

function main(): void {
  const transport = connectToParent();
  if (!transport) {
    process.stderr.write('inference entry: no parent (start it with utilityProcess.fork or child_process.fork)\n');
    process.exitCode = 2;
    return;
  }
  const handler = new RequestHandler();
  transport.onMessage((msg) => {
    void handler.handle(msg).then((res) => transport.send(res));
  });
  transport.send(helloMessage(process.pid));
  // An orphaned inference process must not linger holding models in memory.
  process.on('disconnect', () => process.exit(0));
  // A bug that escapes a request leaves unknown state: report and exit; the client restarts us.
  const die = (err: unknown): void => {
    process.stderr.write(`inference process fatal: ${toErrorValue(err).message}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
}

main();
