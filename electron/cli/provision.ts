/**
 * @file `kiosk provision`: give the terminal its cloud endpoint, tenant and device token, and
 * create its device key pair (kept wrapped by the key file). Re-running it keeps the device id
 * and key (unless --rotate-key) and clears an "unauthorised" state so sync resumes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { InvalidInputError, KeyError } from '../common/errors';
import { loadSettings, updateSettings } from '../config/settings';
import { DB_FILE, openDatabase, type Db } from '../store/database';
import { openFileKeyProvider, type FileKeyProvider } from '../store/keys/file-key-provider';
import { importClientCertificate, type ClientCertificateSource } from '../sync/client-certificate';
import { loadDevice, provisionDevice } from '../sync/device-identity';
import { dataDirOf, globalOptions, type GlobalOptions } from './context';
import { printResult } from './output';

export function openSyncDb(g: GlobalOptions): { dataDir: string; db: Db } {
  const dataDir = dataDirOf(g);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return { dataDir, db: openDatabase(path.join(dataDir, DB_FILE)) };
}

/** --key-file beats KIOSK_KEY_FILE beats <dataDir>/kek.key (same rule as the store commands). */
export function syncKeyFileOf(g: GlobalOptions, dataDir: string): string {
  return path.resolve(g.keyFile ?? process.env.KIOSK_KEY_FILE ?? path.join(dataDir, 'kek.key'));
}

/**
 * Open the key file. It is created only when nothing in the database is wrapped yet: a fresh
 * key beside data wrapped under another one would only hide a wrong --key-file.
 */
export function openSyncKeys(g: GlobalOptions, dataDir: string, db: Db): FileKeyProvider {
  const file = syncKeyFileOf(g, dataDir);
  if (fs.existsSync(file)) return openFileKeyProvider(file);
  const used = db.prepare('SELECT kek_id FROM device UNION SELECT DISTINCT kek_id FROM tenant_keys').pluck().all() as string[];
  if (used.length > 0) {
    throw new KeyError(`key file ${file} does not exist, but data in ${dataDir} is wrapped under ${used.join(', ')}; pass that key with --key-file or KIOSK_KEY_FILE`);
  }
  return openFileKeyProvider(file, { create: true });
}

const EndpointSchema = z.url({ protocol: /^https?$/, error: '--endpoint must be an http(s) URL, e.g. https://attendance.example.com' });

function readFileArg(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InvalidInputError(`${what} ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

interface CertOptions {
  clientCert?: string;
  clientKey?: string;
  clientP12?: string;
  p12PassphraseEnv?: string;
}

/** The client-certificate options shared by `provision` and `device import-cert`. */
export function certSourceOf(o: CertOptions): ClientCertificateSource | null {
  if (o.clientP12) {
    if (o.clientCert || o.clientKey) throw new InvalidInputError('give either --client-p12 or --client-cert with --client-key, not both');
    const passphrase = o.p12PassphraseEnv ? process.env[o.p12PassphraseEnv] : '';
    if (passphrase === undefined) throw new InvalidInputError(`environment variable ${o.p12PassphraseEnv} (the PKCS#12 passphrase) is not set`);
    return { kind: 'pkcs12', der: readFileArg(o.clientP12, '--client-p12'), passphrase };
  }
  if (o.clientCert || o.clientKey) {
    if (!o.clientCert || !o.clientKey) throw new InvalidInputError('--client-cert and --client-key go together');
    return { kind: 'pem', certPem: readFileArg(o.clientCert, '--client-cert').toString('utf8'), keyPem: readFileArg(o.clientKey, '--client-key').toString('utf8') };
  }
  return null;
}

export function addCertOptions(cmd: Command): Command {
  return cmd
    .option('--client-cert <file>', 'mTLS client certificate (PEM)')
    .option('--client-key <file>', 'private key of --client-cert (PEM)')
    .option('--client-p12 <file>', 'mTLS client certificate and key as PKCS#12 (.p12/.pfx)')
    .option('--p12-passphrase-env <var>', 'environment variable holding the PKCS#12 passphrase (never on the command line)');
}

export function buildProvisionCommand(): Command {
  const cmd = new Command('provision')
    .description('set the cloud endpoint, tenant and device token; create the device key pair (RSA-3072, wrapped by the key file)')
    .requiredOption('--endpoint <url>', 'sync endpoint base URL, e.g. https://attendance.example.com')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--device-token <token>', 'device token issued by the cloud (or env KIOSK_DEVICE_TOKEN, which keeps it out of the process list)')
    .option('--site <name>', 'site name shown on the status screen')
    .option('--server-ca <file>', 'PEM of a private CA that signed the endpoint TLS certificate')
    .option('--rotate-key', 'create a new device key pair even if one exists');
  addCertOptions(cmd).action(
    async (
      o: { endpoint: string; tenant: string; deviceToken?: string; site?: string; serverCa?: string; rotateKey?: boolean } & CertOptions,
      c: Command,
    ) => {
      const g = globalOptions(c);
      const endpoint = EndpointSchema.safeParse(o.endpoint);
      if (!endpoint.success) throw new InvalidInputError(endpoint.error.issues[0]?.message ?? '--endpoint is invalid');
      const token = o.deviceToken ?? process.env.KIOSK_DEVICE_TOKEN;
      if (!token) throw new InvalidInputError('--device-token (or KIOSK_DEVICE_TOKEN) is required');
      if (o.site !== undefined && (o.site.trim().length === 0 || o.site.length > 80)) throw new InvalidInputError('--site must be 1-80 characters');
      const serverCaPem = o.serverCa ? readFileArg(o.serverCa, '--server-ca').toString('utf8') : null;
      const cert = certSourceOf(o);
      const { dataDir, db } = openSyncDb(g);
      try {
        loadSettings(dataDir); // a broken settings file fails here, before anything is written
        const keys = openSyncKeys(g, dataDir, db);
        const r = await provisionDevice(db, keys, { tenantId: o.tenant, deviceToken: token, rotateKey: o.rotateKey === true, serverCaPem });
        const imported = cert ? await importClientCertificate(db, keys, cert) : null;
        const settings = updateSettings(dataDir, (s) => ({ ...s, endpoint: endpoint.data, tenantId: o.tenant, ...(o.site ? { siteName: o.site } : {}) }));
        const device = loadDevice(db)!;
        const out = {
          deviceId: device.deviceId,
          tenantId: device.tenantId,
          endpoint: settings.endpoint,
          siteName: settings.siteName,
          publicKeyPem: device.publicKeyPem,
          keyAlgorithm: device.keyAlgorithm,
          createdIdentity: r.createdIdentity,
          rotatedKey: r.rotatedKey,
          clientCertificate: imported,
          keyFile: keys.file,
        };
        if (endpoint.data.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint.data)) {
          process.stderr.write('kiosk: warning: the endpoint is plain http; events and the device token travel unencrypted\n');
        }
        printResult(g, out, () =>
          [
            `${r.createdIdentity ? 'provisioned' : 're-provisioned'} device ${device.deviceId} for tenant ${device.tenantId}`,
            `endpoint ${settings.endpoint}`,
            r.rotatedKey ? 'new device key pair created (register the public key below with the cloud)' : '',
            imported ? `client certificate ${imported.subject} (valid until ${imported.notAfter})` : '',
            device.publicKeyPem.trim(),
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        db.close();
      }
    },
  );
  return cmd;
}
