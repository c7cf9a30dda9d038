/**
 * HTTPS fetches give Node's name check only what it reads of the server's certificate
 * (`peerNames`), not the whole chain: for every certificate and host here, the check's verdict
 * and message must be the same as with the chain Node would otherwise build, read after it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { hasOpenssl } from './support/certs';
import { peerNames } from '../../src/cli/check/https-get';

const maybe = hasOpenssl() ? describe : describe.skip;

/** A self-signed certificate with this subject and these subjectAltName entries (none: no extension). */
function certificate(dir: string, name: string, subject: string, altNames: string[]): { key: string; cert: string } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', subject,
    ...(altNames.length > 0 ? ['-addext', `subjectAltName=${altNames.join(',')}`] : [])], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

/** Connect to a server presenting `cert` and run `look` on the client's socket once the handshake is done. */
async function withPeer<T>(cert: { key: string; cert: string }, look: (socket: tls.TLSSocket) => T): Promise<T> {
  const server = tls.createServer(cert, (s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    return await new Promise<T>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'client.test', rejectUnauthorized: false }, () => {
        try {
          resolve(look(socket));
        } catch (err) {
          reject(err);
        } finally {
          socket.destroy();
        }
      });
      socket.on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const verdict = (e: Error | undefined) => (e === undefined ? 'valid' : `${(e as { code?: string }).code}: ${e.message}`);

const HOSTS = ['mta-sts.a.test', 'MTA-STS.A.TEST', 'mta-sts.a.test.', 'x.wild.test', 'wild.test', 'a.b.wild.test', 'cn.test', 'other.test',
  '127.0.0.1', '::1', '192.0.2.1', 'xn--bcher-kva.test', 'quoted.test'];

maybe('the name check on peerNames agrees with the check on the whole chain', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gov-email-names-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, string, string[]]> = [
    ['names and a wildcard', '/CN=mta-sts.a.test', ['DNS:mta-sts.a.test', 'DNS:*.wild.test', 'DNS:xn--bcher-kva.test']],
    ['a common name only', '/CN=cn.test', []],
    ['a common name and only addresses', '/CN=cn.test', ['IP:127.0.0.1', 'IP:::1']],
    ['a common name and only an email address', '/CN=cn.test', ['email:postmaster@cn.test']],
    ['no name at all', '/O=Nobody', []],
    ['entries of several kinds', '/CN=x', ['URI:https://a.test/', 'DNS:quoted.test', 'IP:192.0.2.1', 'DNS:other.test']],
  ];
  test.each(cases)('%s', async (_what, subject, altNames) => {
    const cert = certificate(dir, `c${cases.findIndex((c) => c[1] === subject && c[2] === altNames)}`, subject, altNames);
    const [light, whole] = await withPeer(cert, (socket) => {
      const names = peerNames(socket);
      const chain = socket.getPeerCertificate(true);
      return [HOSTS.map((h) => verdict(tls.checkServerIdentity(h, names))), HOSTS.map((h) => verdict(tls.checkServerIdentity(h, chain)))];
    });
    expect(light).toEqual(whole);
  });

  test('the cases cover valid and refused names alike', async () => {
    const cert = certificate(dir, 'cover', '/CN=cn.test', ['DNS:mta-sts.a.test', 'DNS:*.wild.test']);
    const verdicts = await withPeer(cert, (socket) => HOSTS.map((h) => verdict(tls.checkServerIdentity(h, peerNames(socket)))));
    expect(verdicts.filter((v) => v === 'valid')).toHaveLength(4);
    expect(verdicts.filter((v) => v.startsWith('ERR_TLS_CERT_ALTNAME_INVALID'))).toHaveLength(HOSTS.length - 4);
  });
});
