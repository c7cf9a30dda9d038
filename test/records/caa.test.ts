import * as fc from 'fast-check';
import { CAA_RULES, Caa, CaaModel } from '../../src/records/caa';
import { Finding, Severity } from '../../src/records/finding';
import { RecordSyntaxError } from '../../src/records/syntax-error';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();

describe('CAA rules: each has a violating and a passing input', () => {
  const cases: Array<[string, string, string]> = [
    ['CAA-SYNTAX', 'issue ";"', '0 issue ";"'],
    ['CAA-FLAGS', '256 issue ";"', '128 issue ";"'],
    ['CAA-FLAGS-RESERVED', '1 issue ";"', '0 issue ";"'],
    ['CAA-TAG-SYNTAX', '0 is-sue ";"', '0 ISSUE ";"'],
    ['CAA-TAG-LENGTH', '0 abcdefghijklmnop "x"', '0 abcdefghijklmno "x"'],
    ['CAA-CRITICAL-UNKNOWN-TAG', '128 tbs "x"', '128 issuewild ";"'],
    ['CAA-UNKNOWN-TAG', '0 tbs "x"', '0 iodef "mailto:security@example.gov.uk"'],
    ['CAA-ISSUE-VALUE', '0 issue "%%%%%"', '0 issue "letsencrypt.org; validationmethods=dns-01"'],
  ];

  test('every rule is in the table', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(Object.values(CAA_RULES).map((r) => r.id).sort());
  });

  test.each(cases)('%s', (ruleId, violating, passing) => {
    const bad = Caa.check(violating, { name: 'example.gov.uk' }).filter((f) => f.ruleId === ruleId);
    expect(bad.length).toBeGreaterThan(0);
    const rule = Object.values(CAA_RULES).find((r) => r.id === ruleId)!;
    expect(bad[0]).toMatchObject({ severity: rule.severity, source: rule.source, path: 'example.gov.uk' });
    expect(Caa.check(passing).map((f) => f.ruleId)).not.toContain(ruleId);
  });
});

describe('Caa', () => {
  test.each([
    ['0 issue ";"', { flags: 0, tag: 'issue', value: ';' }],
    ['0 issue ";" ', { flags: 0, tag: 'issue', value: ';' }],
    ['128 ISSUE "letsencrypt.org"', { flags: 128, tag: 'issue', value: 'letsencrypt.org' }],
    ['0 issuewild ;', { flags: 0, tag: 'issuewild', value: ';' }],
    ['0 iodef "mailto:security@example.gov.uk"', { flags: 0, tag: 'iodef', value: 'mailto:security@example.gov.uk' }],
    ['0 issue "say \\"hi\\" \\\\ \\059"', { flags: 0, tag: 'issue', value: 'say "hi" \\ ;' }],
    ['0 issue', { flags: 0, tag: 'issue', value: '' }],
  ])('parse(%j)', (text, model) => {
    expect(Caa.parse(text)).toEqual(model);
  });

  test.each(['', 'issue ";"', '-1 issue ";"', 'x issue ";"', '0'])('parse(%j) throws CAA-SYNTAX', (text) => {
    expect(() => Caa.parse(text)).toThrow(RecordSyntaxError);
    expect(() => Caa.parse(text)).toThrow(/\[CAA-SYNTAX\]/);
  });

  test('renders the value quoted and escaped', () => {
    expect(Caa.render(Caa.noIssuance())).toBe('0 issue ";"');
    expect(Caa.render({ flags: 0, tag: 'iodef', value: 'mailto:a"b\\c@example.gov.uk' })).toBe('0 iodef "mailto:a\\"b\\\\c@example.gov.uk"');
    expect(Caa.render({ flags: 0, tag: 'tbs', value: 'é' })).toBe('0 tbs "\\195\\169"');
  });

  test.each([
    [{ flags: 3, tag: 'issue', value: ';' }, 'CAA-FLAGS-RESERVED'],
    [{ flags: -1, tag: 'issue', value: ';' }, 'CAA-FLAGS'],
    [{ flags: 0, tag: '', value: ';' }, 'CAA-TAG-SYNTAX'],
    [{ flags: 128, tag: 'future', value: 'x' }, 'CAA-CRITICAL-UNKNOWN-TAG'],
    [{ flags: 0, tag: 'issue', value: 'ca.example; novalue' }, 'CAA-ISSUE-VALUE'],
  ])('render refuses %j', (model, ruleId) => {
    expect(() => Caa.render(model)).toThrow(new RegExp(`\\[${ruleId}\\]`));
  });

  test('noIssuance is 0 issue ";" and validates clean', () => {
    expect(Caa.noIssuance()).toEqual({ flags: 0, tag: 'issue', value: ';' });
    expect(Caa.validate(Caa.noIssuance())).toEqual([]);
  });

  test.each([
    ['no records', [], false],
    ['issue ";"', ['0 issue ";"'], true],
    ['issue "" (empty issuer)', ['0 issue ""'], true],
    ['issue "; key=value" (parameters, no issuer)', ['0 issue "; key=value"'], true],
    ['a malformed issue value (RFC 8659 §4.2 example)', ['0 issue "%%%%%"'], true],
    ['issue ";" and issuewild ";"', ['0 issue ";"', '0 issuewild ";"'], true],
    ['issue ";" and iodef', ['0 issue ";"', '0 iodef "mailto:security@example.gov.uk"'], true],
    ['issue naming a CA', ['0 issue "letsencrypt.org"'], false],
    ['issue naming a CA with an empty parameter list', ['0 issue "letsencrypt.org;"'], false],
    ['issue ";" plus issue naming a CA', ['0 issue ";"', '0 issue "letsencrypt.org"'], false],
    ['issue ";" but issuewild naming a CA', ['0 issue ";"', '0 issuewild "digicert.com"'], false],
    ['only issuewild ";"', ['0 issuewild ";"'], false],
    ['tag in capitals', ['0 ISSUE ";"'], true],
  ])('forbidsIssuance: %s', (_, values, expected) => {
    expect(Caa.forbidsIssuance(values.map((v) => Caa.parse(v)))).toBe(expected);
  });

  test('findings name the value', () => {
    expect(Caa.check('0 issue "ca_example.org"')).toEqual([
      expect.objectContaining({ ruleId: 'CAA-ISSUE-VALUE', severity: Severity.ERROR, message: expect.stringContaining('"ca_example.org"') }),
    ]);
  });

  test('a known tag with the critical flag is fine', () => {
    expect(ids(Caa.check('128 issue "letsencrypt.org"'))).toEqual([]);
    expect(ids(Caa.check('128 contactemail "security@example.gov.uk"'))).toEqual([]);
  });
});

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const caDomain = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
const issueValue = fc.oneof(
  fc.constant(';'),
  caDomain,
  fc.tuple(caDomain, fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[\x21-\x3a\x3c-\x7e]{0,10}$/)).map(([d, k, v]) => `${d}; ${k}=${v}`),
);
const caaModel: fc.Arbitrary<CaaModel> = fc.oneof(
  fc.record({ flags: fc.constantFrom(0, 128), tag: fc.constantFrom('issue', 'issuewild'), value: issueValue }),
  fc.record({ flags: fc.constantFrom(0, 128), tag: fc.constantFrom('iodef', 'contactemail'), value: fc.string({ unit: 'grapheme', maxLength: 30 }) }),
  fc.record({ flags: fc.constant(0), tag: fc.stringMatching(/^[a-z0-9]{1,15}$/), value: fc.string({ maxLength: 30 }) })
    .filter((m) => !['issue', 'issuewild'].includes(m.tag)),
);

describe('CAA properties', () => {
  test('parse(render(m)) equals m', () => {
    fc.assert(fc.property(caaModel, (m) => {
      expect(Caa.parse(Caa.render(m))).toEqual(m);
    }));
  });

  test('noIssuance forbids issuance; adding an issue record naming a CA allows it', () => {
    fc.assert(fc.property(caDomain, fc.array(caaModel.filter((m) => !['issue', 'issuewild'].includes(m.tag)), { maxLength: 3 }), (ca, others) => {
      expect(Caa.forbidsIssuance([Caa.noIssuance(), ...others])).toBe(true);
      expect(Caa.forbidsIssuance([Caa.noIssuance(), ...others, { flags: 0, tag: 'issue', value: ca }])).toBe(false);
      expect(Caa.forbidsIssuance([Caa.noIssuance(), ...others, { flags: 0, tag: 'issuewild', value: ca }])).toBe(false);
    }));
  });

  test('check never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(Array.isArray(Caa.check(text))).toBe(true);
      expect(Array.isArray(Caa.check(`0 issue ${text}`))).toBe(true);
    }));
  });
});
