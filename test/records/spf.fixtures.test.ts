import * as fs from 'node:fs';
import * as path from 'node:path';
import { Spf, SPF_RULES, SpfIncludeCost } from '../../src/records/spf';
import { TXT_RULES } from '../../src/records/txt';

interface Fixture {
  readonly name: string;
  readonly value: string;
  readonly note: string;
  readonly expected: string[];
  readonly includeCosts?: SpfIncludeCost[];
}

const fixtures: Fixture[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'spf.json'), 'utf-8'));
const knownIds = new Set([...Object.values(SPF_RULES), ...Object.values(TXT_RULES)].map((r) => r.id));

describe('SPF fixture corpus (test/fixtures/spf.json)', () => {
  test('has enough entries, each well formed', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(14);
    for (const f of fixtures) {
      expect(f.expected).toEqual([...new Set(f.expected)].sort());
      for (const id of f.expected) expect(knownIds).toContain(id);
      expect(f.note.length).toBeGreaterThan(0);
    }
  });

  test.each(fixtures.map((f) => [`${f.name}: ${f.note}`, f] as const))('%s', (_, f) => {
    const findings = Spf.check(f.value, { name: f.name, includeCosts: f.includeCosts });
    expect([...new Set(findings.map((x) => x.ruleId))].sort()).toEqual(f.expected);
    for (const x of findings) expect(x.path).toBe(f.name);
  });
});
