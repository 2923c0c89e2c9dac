/**
 * @file A throwaway PKI made with node-forge for mTLS tests: CA, server cert for 127.0.0.1,
 * client cert, and the client's PKCS#12.
 */
import forge from 'node-forge';

export interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

function issue(cn: string, issuer: Issued | null, opts: { ca?: boolean; ip?: string; notAfter?: Date; client?: boolean } = {}): Issued {
  const kp = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.publicKey;
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000 * 2);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 86_400_000 * 30);
  const subject = [{ name: 'commonName', value: cn }];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  const ext: object[] = [{ name: 'basicConstraints', cA: opts.ca === true }];
  if (opts.ca) ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  if (opts.ip) ext.push({ name: 'subjectAltName', altNames: [{ type: 7, ip: opts.ip }] }, { name: 'extKeyUsage', serverAuth: true });
  if (opts.client) ext.push({ name: 'extKeyUsage', clientAuth: true });
  cert.setExtensions(ext);
  cert.sign(issuer ? issuer.key : kp.privateKey, forge.md.sha256.create());
  return { cert, key: kp.privateKey, certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(kp.privateKey) };
}

export function makePki(): { ca: Issued; server: Issued; client: Issued; expiredClient: Issued; clientP12: (password: string) => Buffer } {
  const ca = issue('Test Kiosk CA', null, { ca: true });
  const server = issue('127.0.0.1', ca, { ip: '127.0.0.1' });
  const client = issue('kiosk-device-1', ca, { client: true });
  const expiredClient = issue('kiosk-expired', ca, { client: true, notAfter: new Date(Date.now() - 86_400_000) });
  const clientP12 = (password: string): Buffer => {
    const asn1 = forge.pkcs12.toPkcs12Asn1(client.key, [client.cert], password, { algorithm: '3des' });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  };
  return { ca, server, client, expiredClient, clientP12 };
}
