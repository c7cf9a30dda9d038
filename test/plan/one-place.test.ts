import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The plan's promise as structure: what a domain publishes reaches the profile only through
 * `postureOf`, so a construct, review, the pack and check cannot drift apart.
 */
describe('a DomainPosture is built in one place', () => {
  const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

  test('no module outside src/plan hands the profile a posture it wrote itself', () => {
    const literal = /GovUkProfile\.(evaluate|evaluateActive|evaluateParked)\(\s*\{/;
    const typed = /:\s*DomainPosture\s*=\s*\{|as DomainPosture\b|<DomainPosture>\s*\{/;
    const offenders = files
      .filter((f) => !f.path.startsWith('plan/'))
      .filter((f) => literal.test(f.text) || typed.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  test('the readers of what a domain publishes all go through postureOf', () => {
    const readers = ['constructs/gov-email-domain.ts', 'constructs/parked-domain.ts', 'constructs/spf-record.ts', 'constructs/dmarc-record.ts',
      'constructs/tls-rpt-record.ts', 'constructs/dkim-records.ts', 'constructs/hosted-zone.ts', 'report-inbox/own-domain.ts',
      'assembly/domains.ts', 'cli/check/checker.ts'];
    for (const reader of readers) {
      const file = files.find((f) => f.path === reader);
      expect({ reader, callsPostureOf: /\bpostureOf\(/.test(file?.text ?? '') }).toEqual({ reader, callsPostureOf: true });
    }
  });

  test('the plan does not depend on aws-cdk-lib or constructs', () => {
    const cdk = files.filter((f) => f.path.startsWith('plan/') && /from '(aws-cdk-lib|constructs)/.test(f.text)).map((f) => f.path);
    expect(cdk).toEqual([]);
  });
});
