/**
 * @file `kiosk device show|import-cert`: the terminal's public identity, and optional mTLS.
 */
import { Command } from 'commander';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { loadSettings } from '../config/settings';
import { importClientCertificate } from '../sync/client-certificate';
import { loadDevice } from '../sync/device-identity';
import { globalOptions } from './context';
import { printResult } from './output';
import { addCertOptions, certSourceOf, openSyncDb, openSyncKeys } from './provision';

export function buildDeviceCommand(): Command {
  const device = new Command('device').description("the terminal's cloud identity");

  device
    .command('show')
    .description('print deviceId, tenantId, endpoint and the public key (PEM) the cloud verifies signatures with')
    .action((_o: unknown, c: Command) => {
      const g = globalOptions(c);
      const { dataDir, db } = openSyncDb(g);
      try {
        const d = loadDevice(db);
        if (!d) throw new NotFoundError('this terminal is not provisioned; run: kiosk provision --endpoint URL --tenant ID --device-token TOKEN');
        const settings = loadSettings(dataDir);
        const out = { deviceId: d.deviceId, tenantId: d.tenantId, endpoint: settings.endpoint ?? null, publicKeyPem: d.publicKeyPem };
        printResult(g, out, () =>
          [
            `device    ${d.deviceId}`,
            `tenant    ${d.tenantId}`,
            `endpoint  ${settings.endpoint ?? '(none)'}`,
            `key       ${d.keyAlgorithm}${d.hasClientCertificate ? ', mTLS client certificate installed' : ''}`,
            d.unauthorised ? `UNAUTHORISED: ${d.unauthorisedReason ?? ''} — re-provision to resume sync` : '',
            d.publicKeyPem.trim(),
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        db.close();
      }
    });

  addCertOptions(
    device.command('import-cert').description('import an mTLS client certificate (PEM cert + key, or PKCS#12) used for every sync request'),
  ).action(async (o: Parameters<typeof certSourceOf>[0], c: Command) => {
    const g = globalOptions(c);
    const src = certSourceOf(o);
    if (!src) throw new InvalidInputError('give --client-cert with --client-key, or --client-p12');
    const { dataDir, db } = openSyncDb(g);
    try {
      const r = await importClientCertificate(db, openSyncKeys(g, dataDir, db), src);
      printResult(g, r, () => `client certificate ${r.subject} installed (valid until ${r.notAfter}, sha256 ${r.fingerprintSha256})`);
    } finally {
      db.close();
    }
  });

  return device;
}
