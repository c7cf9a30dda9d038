/**
 * examples/parked-estate: 250 parked domains from domains.csv, synthesised in-process,
 * linted, snapshotted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outdir, stripHashes, synthTemplates } from './support';
import { ESTATE_SHARD_COUNT, parkedEstateApp, readEstateCsv } from '../../examples/parked-estate/parked-estate';
import { DomainPortfolio } from '../../src/constructs/domain-portfolio';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const rows = readEstateCsv();
let templates: Record<string, any>;
beforeAll(() => {
  templates = synthTemplates(parkedEstateApp(outdir('estate')), lint, 'parked-estate');
});

const groups = (t: any) => Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::Route53::RecordSetGroup');

describe('examples/parked-estate', () => {
  test('reads 250 fictional gov.uk domains, each with its own zone; 25 keep a website (no CAA)', () => {
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.domain)).size).toBe(250);
    expect(rows.every((r) => /^[a-z]+-[a-z]+\.gov\.uk$/.test(r.domain) && /^Z0ESTATE[0-9]{12}$/.test(r.hostedZoneId))).toBe(true);
    expect(rows.filter((r) => !r.caa)).toHaveLength(25);
    expect(rows.filter((r) => r.stack !== undefined)).toEqual([]);
  });

  test('2 stacks, each domain in the stack the sharding rule gives it, one record set group a domain, far under the limits', () => {
    expect(Object.keys(templates)).toEqual(['ParkedEstate-Shard01', 'ParkedEstate-Shard02']);
    const byStack = Object.values(templates).map((t) => groups(t).map((g) => g.Properties.RecordSets[0].Name.replace(/\.$/, '')));
    expect(byStack.map((d) => d.length)).toEqual([123, 127]);
    for (const [i, domains] of byStack.entries()) {
      expect(domains.every((d) => DomainPortfolio.shardOf(d, ESTATE_SHARD_COUNT) === i + 1)).toBe(true);
    }
    for (const t of Object.values(templates)) {
      // Every resource (but CDK's metadata, when the CLI asks for it) is a domain's record set group.
      expect(Object.values<any>(t.Resources).filter((r) => r.Type !== 'AWS::CDK::Metadata')).toHaveLength(groups(t).length);
      expect(JSON.stringify(t, undefined, 1).length).toBeLessThan(160_000);
    }
  });

  test('a domain with caa=false publishes no CAA record; the others do', () => {
    const all = Object.values(templates).flatMap(groups);
    const caa = (domain: string) => all.find((g) => g.Properties.RecordSets[0].Name === `${domain}.`).Properties.RecordSets.some((r: any) => r.Type === 'CAA');
    expect(rows.filter((r) => !r.caa).slice(0, 2).map((r) => r.domain)).toEqual(['county-roads.gov.uk', 'market-roads.gov.uk']);
    expect(caa('county-roads.gov.uk')).toBe(false);
    expect(caa('coastal-roads.gov.uk')).toBe(true);
  });

  test('a malformed CSV line fails with its file and line number', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'estate-csv-')), 'bad.csv');
    writeFileSync(file, 'domain,hosted_zone_id,caa,stack\nold-dept.gov.uk,Z0OLD,,\n# a comment\n\nnew-dept.gov.uk,Z0NEW,maybe,\n');
    expect(() => readEstateCsv(file)).toThrow(`${file}:5: expected domain,hosted_zone_id,[false],[stack number]; got "new-dept.gov.uk,Z0NEW,maybe,"`);
    writeFileSync(file, 'domain,zone\n');
    expect(() => readEstateCsv(file)).toThrow(`${file}: the first line must be "domain,hosted_zone_id,caa,stack"; got "domain,zone"`);
  });

  test('snapshot: each stack\'s record set groups, one line per record set', () => {
    const compact = Object.fromEntries(Object.entries(templates).map(([name, t]) => [name, Object.fromEntries(
      Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'AWS::Route53::RecordSetGroup').map(([id, r]) => [id, [
        r.Properties.HostedZoneId,
        ...r.Properties.RecordSets.map((s: any) => `${s.Name} ${s.Type} ${s.TTL} ${s.ResourceRecords.join(' ')}`),
      ]]),
    )]));
    expect(stripHashes(compact)).toMatchSnapshot();
  });
});
