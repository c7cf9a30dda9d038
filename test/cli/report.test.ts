import { ExitCode, OUTPUT_FORMATS, Report, exitCodeFor, renderReport, totals } from '../../src/cli/report';
import { Finding, Severity, rule } from '../../src/records/finding';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';
import { sarifProblems } from '../assembly/support/sarif';

const f = (ruleId: string, severity: Severity, message: string, path?: string): Finding => {
  const source = RuleCatalogue.find(ruleId)?.source ?? 'test source';
  return path === undefined ? { ruleId, severity, message, source } : { ruleId, severity, message, source, path };
};

const ERROR = f('GOVUK-DMARC-POLICY', Severity.ERROR, 'dept.gov.uk\'s DMARC policy is "none".', '_dmarc.dept.gov.uk');
const WARNING = f('GOVUK-NOT-EVALUATED', Severity.WARNING, 'dept.gov.uk: dkim could not be evaluated.', 'dept.gov.uk');
const INFO = f('GOVUK-PARKED-CAA', Severity.INFO, 'old.gov.uk serves nothing.', 'old.gov.uk');

const REPORT: Report = {
  command: 'review',
  input: 'cdk.out',
  domains: [
    {
      domain: 'dept.gov.uk',
      profile: 'active',
      records: [
        { name: 'dept.gov.uk', type: 'TXT', ttl: 3600, value: '"v=spf1 -all"', origin: 'Dns/Apex', file: 'cdk.out/Dns.template.json' },
        { name: '_dmarc.dept.gov.uk', type: 'TXT', ttl: 3600, value: '"v=DMARC1; p=none"', origin: 'Dns/Dmarc', file: 'cdk.out/Dns.template.json' },
        { name: '<SES DKIM token name 1>', type: 'CNAME', ttl: 1800, value: '<SES DKIM token value 1>', origin: 'Mail/Dkim1' },
      ],
      findings: [WARNING, ERROR],
    },
    {
      domain: 'old.gov.uk',
      profile: 'parked',
      records: [{ name: 'old.gov.uk', type: 'MX', value: '0 .' }],
      findings: [INFO],
    },
  ],
};

const only = (findings: Finding[]): Report => ({ command: 'check', input: 'x.gov.uk', domains: [{ domain: 'x.gov.uk', records: [], findings }] });

describe('exitCodeFor', () => {
  test.each<[string, Finding[], boolean, number]>([
    ['no findings', [], false, ExitCode.OK],
    ['info only', [INFO], false, ExitCode.OK],
    ['info only, strict', [INFO], true, ExitCode.OK],
    ['a warning', [WARNING], false, ExitCode.OK],
    ['a warning, strict', [WARNING], true, ExitCode.FINDINGS],
    ['an error', [ERROR], false, ExitCode.FINDINGS],
    ['an error, strict', [ERROR, WARNING], true, ExitCode.FINDINGS],
  ])('%s', (_name, findings, strict, code) => {
    expect(exitCodeFor(only(findings), strict)).toBe(code);
  });

  test('the codes are 0, 1 and 2', () => {
    expect(ExitCode).toEqual({ OK: 0, FINDINGS: 1, USAGE: 2 });
  });
});

test('totals counts findings by severity over every domain', () => {
  expect(totals(REPORT)).toEqual({ error: 1, warning: 1, info: 1 });
});

describe('renderReport: json', () => {
  test('is the report itself', () => {
    const out = renderReport(REPORT, 'json');
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(REPORT);
  });
});

describe('renderReport: table', () => {
  const out = renderReport(REPORT, 'table');

  test('lists each domain\'s records and its findings, errors first', () => {
    expect(out).toMatchSnapshot();
    const lines = out.split('\n');
    expect(lines[0]).toBe('dept.gov.uk (active)');
    expect(lines).toContain('  NAME                     TYPE   TTL   VALUE');
    expect(lines).toContain('  <SES DKIM token name 1>  CNAME  1800  <SES DKIM token value 1>');
    const error = lines.findIndex((l) => l.includes('GOVUK-DMARC-POLICY'));
    const warning = lines.findIndex((l) => l.includes('GOVUK-NOT-EVALUATED'));
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(warning);
    expect(lines[lines.length - 2]).toBe('2 domains: 1 error, 1 warning, 1 info');
  });

  test('a record without a TTL has an empty TTL column; a domain with no findings says so', () => {
    const lines = renderReport({ command: 'review', input: 'x', domains: [{ domain: 'a.gov.uk', records: [{ name: 'a.gov.uk', type: 'A', value: 'ALIAS x' }], findings: [] }] }, 'table').split('\n');
    expect(lines).toEqual(['a.gov.uk', '', '  NAME      TYPE  TTL  VALUE', '  a.gov.uk  A          ALIAS x', '', '  no findings', '', '1 domain: 0 errors, 0 warnings, 0 info', '']);
  });

  test('no colour unless asked; with colour, each finding line is painted by severity', () => {
    expect(out).not.toContain('\x1b[');
    const coloured = renderReport(REPORT, 'table', { color: true });
    expect(coloured).toContain('\x1b[1mdept.gov.uk (active)\x1b[0m');
    expect(coloured.split('\n').find((l) => l.includes('GOVUK-DMARC-POLICY'))).toMatch(/^ {2}\x1b\[31mERROR .*\x1b\[0m$/);
    expect(coloured.split('\n').find((l) => l.includes('GOVUK-NOT-EVALUATED'))).toMatch(/^ {2}\x1b\[33mWARNING/);
    expect(coloured.split('\n').find((l) => l.includes('GOVUK-PARKED-CAA'))).toMatch(/^ {2}\x1b\[36mINFO/);
  });

  test('control characters in values are shown escaped, never sent to the terminal', () => {
    const hostile: Report = {
      command: 'check',
      input: 'x',
      domains: [{ domain: 'x.gov.uk', records: [{ name: 'x.gov.uk', type: 'TXT', value: '"a\x1b[2Jb\nc"' }], findings: [] }],
    };
    const text = renderReport(hostile, 'table');
    expect(text).not.toContain('\x1b');
    expect(text).toContain('"a\\x1b[2Jb\\x0ac"');
  });
});

describe('renderReport: markdown', () => {
  const out = renderReport(REPORT, 'markdown');

  test('a heading with the verdict, records folded away, findings in a table', () => {
    expect(out).toMatchSnapshot();
    const lines = out.split('\n');
    expect(lines[0]).toBe('## gov-email review: :x: 2 domains: 1 error, 1 warning, 1 info');
    expect(lines).toContain('### dept.gov.uk (active)');
    expect(lines).toContain('<details><summary>Records</summary>');
    expect(lines).toContain(`| error | \`GOVUK-DMARC-POLICY\` | dept.gov.uk's DMARC policy is "none". | ${RuleCatalogue.get('GOVUK-DMARC-POLICY').source} |`);
  });

  test('placeholders are escaped so GitHub does not drop them as HTML; values stay in code spans', () => {
    expect(out).toContain('| &lt;SES DKIM token name 1&gt; | CNAME | 1800 | `<SES DKIM token value 1>` |');
  });

  test('pipes, asterisks and backslashes cannot break the table or the text', () => {
    const tricky: Report = {
      command: 'review',
      input: 'x',
      domains: [{
        domain: 'x.gov.uk',
        records: [{ name: '*._domainkey.x.gov.uk', type: 'TXT', value: '"a|b\\"c`d"' }],
        findings: [f('GOVUK-PARKED-DKIM', Severity.WARNING, 'a | b *c* d\\e')],
      }],
    };
    const text = renderReport(tricky, 'markdown');
    expect(text).toContain('| \\*._domainkey.x.gov.uk | TXT |  | `"a\\|b\\"c\'d"` |');
    expect(text).toContain('| warning | `GOVUK-PARKED-DKIM` | a \\| b \\*c\\* d\\\\e |');
  });

  test('the verdict icon follows the worst finding', () => {
    expect(renderReport(only([WARNING]), 'markdown').split('\n')[0]).toContain(':warning:');
    expect(renderReport(only([INFO]), 'markdown').split('\n')[0]).toContain(':white_check_mark:');
    expect(renderReport(only([]), 'markdown')).toContain('No findings.');
  });
});

describe('renderReport: SARIF 2.1.0', () => {
  const extra = rule('TEST-OUTSIDE-CATALOGUE', Severity.ERROR, 'One record set per name and type.', 'Route 53 semantics');
  const withConflict: Report = {
    ...REPORT,
    domains: [{ ...REPORT.domains[0], findings: [...REPORT.domains[0].findings, f('TEST-OUTSIDE-CATALOGUE', Severity.ERROR, '2 record sets at dept.gov.uk TXT.', 'dept.gov.uk')] }, REPORT.domains[1]],
  };
  const sarif = JSON.parse(renderReport(withConflict, 'sarif', { rules: [extra] }));
  const run = sarif.runs[0];

  test('is valid against the SARIF 2.1.0 schema\'s rules for what it uses', () => {
    expect(sarifProblems(sarif)).toEqual([]);
    expect(sarifProblems(JSON.parse(renderReport(only([]), 'sarif')))).toEqual([]);
  });

  test('the schema check catches what the schema forbids', () => {
    const broken = JSON.parse(JSON.stringify(sarif));
    broken.runs[0].results[0].level = 'info';
    broken.runs[0].results[1].ruleIndex = 99;
    delete broken.runs[0].results[2].message;
    broken.runs[0].results[3].severity = 'error';
    broken.runs[0].tool.driver.rules[0].shortDescription = 'text';
    broken.runs[0].results[0].locations[0].logicalLocations = [{ fullyQualifiedName: 3 }];
    delete broken.version;
    expect(sarifProblems(broken)).toEqual([
      '$: a sarifLog requires "version"',
      '$.version: must be "2.1.0"; got undefined',
      '$.runs[0].tool.driver.rules[0].shortDescription: a multiformatMessageString must be an object',
      '$.runs[0].results[0].level: level must be one of none, note, warning, error; got "info"',
      '$.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName: must be a string',
      '$.runs[0].results[1].ruleIndex: 99 is past the 4 rules',
      '$.runs[0].results[2]: a result requires "message"',
      '$.runs[0].results[2].message: a message must be an object',
      '$.runs[0].results[3].severity: not a property of result',
    ]);
  });

  test('has the version, schema and one run by gov-email', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('gov-email');
    expect(run.properties).toEqual({ command: 'review', input: 'cdk.out' });
  });

  test('lists each rule that has a result once, sorted, with its catalogue text', () => {
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['GOVUK-DMARC-POLICY', 'GOVUK-NOT-EVALUATED', 'GOVUK-PARKED-CAA', 'TEST-OUTSIDE-CATALOGUE']);
    const dmarc = RuleCatalogue.get('GOVUK-DMARC-POLICY');
    expect(run.tool.driver.rules[0]).toEqual({
      id: 'GOVUK-DMARC-POLICY',
      shortDescription: { text: dmarc.summary },
      help: { text: `${dmarc.summary} Source: ${dmarc.source}` },
      defaultConfiguration: { level: 'error' },
      properties: { source: dmarc.source },
    });
  });

  test('a rule outside the catalogue takes its text from the rules passed in', () => {
    expect(run.tool.driver.rules[3]).toEqual({
      id: 'TEST-OUTSIDE-CATALOGUE',
      shortDescription: { text: 'One record set per name and type.' },
      help: { text: 'One record set per name and type. Source: Route 53 semantics' },
      defaultConfiguration: { level: 'error' },
      properties: { source: 'Route 53 semantics' },
    });
  });

  test('each result has its rule id, an index pointing at that rule, a level, a message and a location', () => {
    expect(run.results).toHaveLength(4);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(typeof r.message.text).toBe('string');
      expect(r.locations.length).toBeGreaterThan(0);
    }
    expect(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
      ['GOVUK-NOT-EVALUATED', 'warning'],
      ['GOVUK-DMARC-POLICY', 'error'],
      ['TEST-OUTSIDE-CATALOGUE', 'error'],
      ['GOVUK-PARKED-CAA', 'note'],
    ]);
  });

  test('a finding at a published name points at the template that declares it and at its resources', () => {
    const dmarc = run.results.find((r: { ruleId: string }) => r.ruleId === 'GOVUK-DMARC-POLICY');
    expect(dmarc.locations).toEqual([{
      physicalLocation: { artifactLocation: { uri: 'cdk.out/Dns.template.json' } },
      logicalLocations: [
        { fullyQualifiedName: '_dmarc.dept.gov.uk', kind: 'resource' },
        { fullyQualifiedName: 'Dns/Dmarc', kind: 'resource' },
      ],
    }]);
    expect(dmarc.properties).toEqual({ domain: 'dept.gov.uk', source: RuleCatalogue.get('GOVUK-DMARC-POLICY').source });
  });

  test('a finding with no published record at its path has a logical location only', () => {
    const caa = run.results.find((r: { ruleId: string }) => r.ruleId === 'GOVUK-PARKED-CAA');
    expect(caa.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'old.gov.uk', kind: 'resource' }] }]);
  });

  test('an absolute file becomes a file: URL', () => {
    const abs: Report = { command: 'review', input: '/x', domains: [{ domain: 'a.gov.uk', records: [{ name: 'a.gov.uk', type: 'TXT', value: '"x"', file: '/tmp/cdk out/A.template.json' }], findings: [f('GOVUK-SPF-MISSING', Severity.ERROR, 'm', 'a.gov.uk')] }] };
    const out = JSON.parse(renderReport(abs, 'sarif'));
    expect(out.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('file:///tmp/cdk%20out/A.template.json');
  });

  test('no findings is a run with no rules and no results', () => {
    const out = JSON.parse(renderReport(only([]), 'sarif'));
    expect(out.runs[0].tool.driver.rules).toEqual([]);
    expect(out.runs[0].results).toEqual([]);
  });
});

test('the formats are table, markdown, json and sarif', () => {
  expect(OUTPUT_FORMATS).toEqual(['table', 'markdown', 'json', 'sarif']);
});
