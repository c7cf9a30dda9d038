import { mtaStsPoliciesInCode } from '../../src/assembly/mta-sts-function';

const BODY = 'version: STSv1\r\nmode: enforce\r\nmx: mail.dept.gov.uk\r\nmax_age: 1209600\r\n';

describe('mtaStsPoliciesInCode', () => {
  test('a map from host to body, as JSON.stringify writes it', () => {
    const code = `var P = {${JSON.stringify('mta-sts.dept.gov.uk')}: ${JSON.stringify(BODY)}, "mta-sts.old.gov.uk": "version: STSv1\\nmode: none\\nmax_age: 86400\\n"};`;
    expect(mtaStsPoliciesInCode(code)).toEqual([
      { host: 'mta-sts.dept.gov.uk', body: BODY },
      { host: 'mta-sts.old.gov.uk', body: 'version: STSv1\nmode: none\nmax_age: 86400\n' },
    ]);
  });

  test('single quotes, template literals and a Map of pairs', () => {
    const code = [
      "const a = new Map([['MTA-STS.Dept.gov.uk', 'version: STSv1\\r\\nmode: testing\\r\\nmx: a.b\\r\\nmax_age: 86400\\r\\n']]);",
      'const b = `version: STSv1',
      'mode: none',
      'max_age: 86400',
      '`;',
    ].join('\n');
    expect(mtaStsPoliciesInCode(code)).toEqual([
      { host: 'mta-sts.dept.gov.uk', body: 'version: STSv1\r\nmode: testing\r\nmx: a.b\r\nmax_age: 86400\r\n' },
      { body: 'version: STSv1\nmode: none\nmax_age: 86400\n' },
    ]);
  });

  test('escapes are decoded', () => {
    expect(mtaStsPoliciesInCode('x = "version: STSv1\\x0d\\u000a\\u{6d}ode: enforce"')).toEqual([{ body: 'version: STSv1\r\nmode: enforce' }]);
  });

  test('a body not keyed by a host name has no host', () => {
    expect(mtaStsPoliciesInCode('var key = "not a host"; var body = "version: STSv1\\n";')).toEqual([{ body: 'version: STSv1\n' }]);
  });

  test('comments and other strings are ignored; a body built at run time is not found', () => {
    const code = [
      '// "version: STSv1" in a comment',
      '/* "mta-sts.dept.gov.uk": "version: STSv1" */',
      "var lines = ['version: ' + 'STSv1', 'mode: enforce'].join('\\r\\n');",
    ].join('\n');
    expect(mtaStsPoliciesInCode(code)).toEqual([]);
  });
});
