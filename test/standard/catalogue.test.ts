import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_GROUPS, RuleCatalogue } from '../../src/standard/rule-catalogue';

/** Every test file's text, to check that each rule is exercised by id somewhere. */
function testSources(dir: string): string {
  return readdirSync(dir).map((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testSources(path);
    return /\.(ts|json)$/.test(name) ? readFileSync(path, 'utf8') : '';
  }).join('\n');
}

describe('RuleCatalogue', () => {
  const rules = RuleCatalogue.all();

  test('rule ids are unique, upper kebab case, with an area prefix', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^(TXT|SPF|DMARC|TLSRPT|MTASTS|DKIM|MX|CAA|GOVUK|DNS|ROUTE53|SES|SENDER|CHECK|REPORT|REPORTS|REPORT-INBOX|PORTFOLIO|DNSSEC|DANE|SMTP|BIMI)-[A-Z0-9]+(-[A-Z0-9]+)*$/);
    }
  });

  test('every rule has a summary, a severity and a source citing an RFC or the guidance', () => {
    for (const r of rules) {
      expect(r.summary.length).toBeGreaterThan(10);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.source).toMatch(/RFC \d+|GOV\.UK|NCSC|Route 53|Amazon SES|Amazon CloudFront|AWS |AWS Certificate Manager|Amazon S3|AWS Lambda|Amazon CloudWatch|cdk-gov-email|draft-brand-indicators-for-message-identification|draft-svg-tiny-ps-abrotman/);
    }
  });

  test('every rule id is asserted by at least one test or fixture', () => {
    const sources = testSources(join(__dirname, '..'));
    // A rule counts as exercised when a test names its id, or the constant it is defined as.
    const untested = Object.entries(RULE_GROUPS).flatMap(([group, defs]) => Object.entries(defs)
      .filter(([key, r]) => !new RegExp(`(?<![A-Z0-9-])${r.id}(?![A-Z0-9-])`).test(sources) && !sources.includes(`${group}.${key}`))
      .map(([, r]) => r.id));
    expect(untested).toEqual([]);
  });

  test('get and find look rules up by id', () => {
    expect(RuleCatalogue.get('GOVUK-DMARC-POLICY').severity).toBe('error');
    expect(RuleCatalogue.find('NO-SUCH-RULE')).toBeUndefined();
    expect(() => RuleCatalogue.get('NO-SUCH-RULE')).toThrow('No rule has the id "NO-SUCH-RULE"');
  });
});
