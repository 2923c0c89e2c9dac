/**
 * @file Optional mTLS: import the client certificate the site's PKI issued to this terminal,
 * from PEM (certificate + private key) or PKCS#12 (node-forge parses both). The certificate
 * is stored as PEM; its private key only wrapped by the key provider.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { InvalidInputError, NotFoundError } from '../common/errors';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';

export type ClientCertificateSource =
  | { readonly kind: 'pem'; readonly certPem: string; readonly keyPem: string }
  | { readonly kind: 'pkcs12'; readonly der: Uint8Array; readonly passphrase: string };

export interface ImportedCertificate {
  readonly subject: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
}

function certKeyPairFromPkcs12(der: Uint8Array, passphrase: string): { certPem: string; keyPem: string } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, passphrase);
  } catch (e) {
    throw new InvalidInputError(`PKCS#12 file cannot be read (wrong passphrase or not PKCS#12): ${(e as Error).message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keyBags.find((b) => b.key)?.key;
  const cert = certBags.find((b) => b.cert)?.cert;
  if (!key || !cert) throw new InvalidInputError('PKCS#12 file must hold one certificate and its private key');
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(key) };
}

/** Parse, check the key belongs to the certificate and is in date, then store it. */
export async function importClientCertificate(db: Db, keys: KeyProvider, src: ClientCertificateSource, now: Date = new Date()): Promise<ImportedCertificate> {
  const { certPem, keyPem } = src.kind === 'pem' ? { certPem: src.certPem, keyPem: src.keyPem } : certKeyPairFromPkcs12(src.der, src.passphrase);
  let x509: crypto.X509Certificate;
  let key: crypto.KeyObject;
  try {
    x509 = new crypto.X509Certificate(certPem);
  } catch (e) {
    throw new InvalidInputError(`client certificate is not a valid PEM certificate: ${(e as Error).message}`);
  }
  try {
    key = crypto.createPrivateKey(keyPem);
  } catch (e) {
    throw new InvalidInputError(`client certificate key is not a valid PEM private key: ${(e as Error).message}`);
  }
  if (!x509.checkPrivateKey(key)) throw new InvalidInputError('the private key does not belong to the client certificate');
  if (Date.parse(x509.validTo) < now.getTime()) throw new InvalidInputError(`the client certificate expired on ${x509.validTo}`);
  const normalisedKeyPem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  const wrapped = Buffer.from(await keys.wrap(Buffer.from(normalisedKeyPem, 'utf8')));
  const changes = db
    .prepare('UPDATE device SET client_cert_pem = ?, wrapped_client_key = ?, updated_at = ? WHERE singleton = 1 AND kek_id = ?')
    .run(x509.toString(), wrapped, now.toISOString(), keys.id).changes;
  if (changes !== 1) throw new NotFoundError('provision the terminal (with the same key) before importing a client certificate');
  return { subject: x509.subject, notAfter: new Date(x509.validTo).toISOString(), fingerprintSha256: x509.fingerprint256 };
}
