/**
 * A throwaway certificate authority for the tests' HTTPS server, made with the `openssl`
 * command (node:crypto makes keys but cannot sign certificates). `.ci/run` installs openssl
 * (Debian package `openssl`) when the machine lacks it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
}

export interface LeafOptions {
  /** The DNS names (subjectAltName) the certificate is for. */
  readonly names: string[];
  /** Issue a certificate whose validity ended in 2020. */
  readonly expired?: boolean;
  /** Issue a certificate whose validity starts in 2099. */
  readonly notYetValid?: boolean;
}

/** Whether the openssl command is on this machine. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class TestCa {
  /** Create a new CA in a temporary folder. */
  public static create(): TestCa {
    return new TestCa(mkdtempSync(join(tmpdir(), 'gov-email-test-ca-')));
  }

  /** The CA certificate (PEM). */
  public readonly cert: string;
  /** A file holding the CA certificate, for `--ca-file`. */
  public readonly certFile: string;
  private serial = 1;
  private selfSignedCount = 0;

  private constructor(private readonly dir: string) {
    this.certFile = join(dir, 'ca.crt');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'ca.key'), '-out', this.certFile, '-days', '30', '-subj', '/CN=gov-email test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.cert = readFileSync(this.certFile, 'utf8');
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'ca.cnf'), [
      '[ ca ]', 'default_ca = test_ca',
      '[ test_ca ]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `certificate = ${this.certFile}`,
      `private_key = ${join(dir, 'ca.key')}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256', 'policy = policy_any', 'unique_subject = no', 'email_in_dn = no', 'copy_extensions = none',
      '[ policy_any ]', 'commonName = supplied', '',
    ].join('\n'));
  }

  /** Issue a server certificate signed by this CA. */
  public issue(options: LeafOptions): TestCertificate {
    const n = this.serial++;
    const keyFile = join(this.dir, `leaf${n}.key`);
    const csrFile = join(this.dir, `leaf${n}.csr`);
    const certFile = join(this.dir, `leaf${n}.crt`);
    const extFile = join(this.dir, `leaf${n}.ext`);
    writeFileSync(join(this.dir, 'serial'), n.toString(16).padStart(4, '0') + '\n');
    writeFileSync(extFile, [
      'basicConstraints = CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${options.names.map((d) => `DNS:${d}`).join(',')}`, '',
    ].join('\n'));
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${options.names[0]}`]);
    const validity = options.expired
      ? ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z']
      : options.notYetValid
        ? ['-startdate', '20990101000000Z', '-enddate', '20990201000000Z']
        : ['-days', '30'];
    openssl(['ca', '-batch', '-notext', '-config', join(this.dir, 'ca.cnf'), '-in', csrFile, '-out', certFile, '-extfile', extFile, ...validity]);
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  }

  /** A self-signed server certificate for these names, issued by no CA. */
  public selfSigned(names: string[]): TestCertificate {
    const n = ++this.selfSignedCount;
    const keyFile = join(this.dir, `self${n}.key`);
    const certFile = join(this.dir, `self${n}.crt`);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((d) => `DNS:${d}`).join(',')}`, '-addext', 'extendedKeyUsage=serverAuth']);
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  }

  /** Delete the CA's files. */
  public dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
