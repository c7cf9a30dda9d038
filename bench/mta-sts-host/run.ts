/**
 * Size of the MtaStsPolicyHost function: the bytes of the CloudFront Function code that serves a
 * distribution's policies (`policyHostFunctionCode`), against CloudFront's limit of 10,240 bytes,
 * for 1, 50 and 100 domains on the distribution:
 *
 *   names     short (15 characters, `water-01.gov.uk`) or long (40 characters,
 *             `valeriver-inspectorate-northmoor-00.gov.uk` cut to 40)
 *   policies  one shared Microsoft 365 policy; a tenant MX host per domain
 *             (`<domain-dashed>.<10 random>.mx.microsoft`) with two shared `mx` lines; a tenant
 *             MX host and two more lines that hold the domain's name; 1 to 5 `mx` lines from six
 *             shared hosts, two modes and five `max_age`s mixed
 *
 * `max_age` differs from domain to domain (1 to 365 days) in the tenant rows. Beside each row,
 * the longest names (up to 63 characters, a DNS label's limit, which the tenant's MX host holds
 * whole) for which 100 domains still fit. The code is ASCII, so its length is its size in bytes;
 * the figures are exact and the same in every run (no timing).
 *
 * Results are printed and written into docs/benchmarks.md under "## MTA-STS policy host: function size".
 *
 *   npx ts-node --project test/tsconfig.json bench/mta-sts-host/run.ts [--no-write]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { HostedPolicy, MAX_FUNCTION_CODE_BYTES, policiesInPolicyHostCode, policyHostFunctionCode } from '../../src/records/private/mta-sts-host-code';
import { table, writeSection } from '../support';

const COMMAND = 'npx ts-node --project test/tsconfig.json bench/mta-sts-host/run.ts';
const HEADING = '## MTA-STS policy host: function size';
const COUNTS = [1, 50, 100];
/** A DNS label is at most 63 octets, and the tenant's MX host holds the whole name, dashed, as one. */
const LONGEST_SEARCHED = 63;

const { values } = parseArgs({ options: { 'no-write': { type: 'boolean', default: false } } });

const SHORT_WORDS = ['water', 'roads', 'parks', 'farms', 'ports', 'trade', 'house', 'rails', 'coast', 'trees'];
const PLACES = ['valeriver', 'northmoor', 'eastbrook', 'westfield', 'highcliffe', 'ashworth', 'kingsbridge', 'marshgate', 'oakhollow', 'redmere'];
const BODIES = ['inspectorate', 'borough-council', 'regulatory-agency', 'pensions-service', 'planning-authority', 'water-board', 'health-trust', 'courts-service', 'fire-rescue', 'archives'];

/** The i-th of 100 names of `length` characters (15 or more), under gov.uk, unique. */
function nameOf(i: number, length: number): string {
  const tail = `-${String(i).padStart(2, '0')}.gov.uk`;
  const words = length <= 15 ? SHORT_WORDS[i % 10]
    : `${PLACES[i % 10]}-${BODIES[Math.floor(i / 10)]}-${PLACES[(i * 7 + 3) % 10]}-${BODIES[(i * 3) % 10]}-${PLACES[(i * 3 + 1) % 10]}`;
  return `${words.slice(0, length - tail.length).replace(/-$/, 'x')}${tail}`;
}

/** A new-style Microsoft 365 tenant MX host: `<domain with dots as dashes>.<10 random letters and digits>.mx.microsoft`. */
function tenantMx(domain: string): string {
  const random = BigInt(`0x${createHash('sha256').update(domain).digest('hex').slice(0, 15)}`).toString(36).padStart(10, '0').slice(-10);
  return `${domain.replace(/\./g, '-')}.${random}.mx.microsoft`;
}

const maxAgeOf = (i: number) => 86400 * (1 + ((i * 37) % 365));
const MAX_AGES = [86400, 604800, 1209600, 2419200, 31557600];
const SHARED_HOSTS = ['*.mail.protection.outlook.com', 'aspmx.l.google.com', '*.aspmx.l.google.com', 'relay1.gateway.gov.uk', 'relay2.gateway.gov.uk', 'mx.backup.gov.uk'];

interface Scenario {
  readonly label: string;
  readonly body: (domain: string, i: number) => string;
}

const SCENARIOS: Scenario[] = [
  {
    label: 'one shared (Microsoft 365, `mx: *.mail.protection.outlook.com`)',
    body: () => MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: ['*.mail.protection.outlook.com'] }),
  },
  {
    label: 'a tenant MX host each, then `*.mail.protection.outlook.com` and a shared relay; `max_age` each its own',
    body: (d, i) => MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: maxAgeOf(i), mx: [tenantMx(d), '*.mail.protection.outlook.com', 'relay.gateway.gov.uk'] }),
  },
  {
    label: 'a tenant MX host each, then `mx1.<domain>` and `<domain-dashed>.relay.gateway.gov.uk`; `max_age` each its own',
    body: (d, i) => MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: maxAgeOf(i), mx: [tenantMx(d), `mx1.${d}`, `${d.replace(/\./g, '-')}.relay.gateway.gov.uk`] }),
  },
  {
    label: 'mixed: 1 to 5 `mx` lines of six shared hosts, enforce or testing, five `max_age`s',
    body: (_d, i) => MtaSts.renderPolicy({
      mode: i % 7 === 0 ? MtaStsMode.TESTING : MtaStsMode.ENFORCE,
      maxAge: MAX_AGES[i % 5],
      mx: SHARED_HOSTS.filter((_, j) => j === i % 6 || Math.floor((i * 37 + 11) / 2 ** j) % 2 === 1).slice(0, 5),
    }),
  },
];

/** The policies of the first `count` domains with names of `length` characters. */
function policies(scenario: Scenario, count: number, length: number): HostedPolicy[] {
  return Array.from({ length: count }, (_, i) => {
    const domain = nameOf(i, length);
    return { domain, body: scenario.body(domain, i) };
  });
}

/** The function's code for these policies, checked: it reads back as the policies given. */
function codeBytes(ps: HostedPolicy[]): number {
  const code = policyHostFunctionCode(ps);
  if (JSON.stringify(policiesInPolicyHostCode(code)) !== JSON.stringify(ps)) throw new Error('the code does not read back as the policies given');
  return Buffer.byteLength(code, 'utf8');
}

/** The longest names, from 15 to 63 characters, at which 100 domains fit; undefined when none do. */
function longestFitting(scenario: Scenario): number | undefined {
  let longest: number | undefined;
  for (let length = 15; length <= LONGEST_SEARCHED; length++) {
    if (codeBytes(policies(scenario, 100, length)) <= MAX_FUNCTION_CODE_BYTES) longest = length;
  }
  return longest;
}

const bytes = (n: number) => n.toLocaleString('en-GB');
const ofLimit = (n: number) => `${((100 * n) / MAX_FUNCTION_CODE_BYTES).toFixed(0)} %`;

const rows: string[][] = [];
for (const scenario of SCENARIOS) {
  const longest = longestFitting(scenario);
  for (const [names, length] of [['15 characters', 15], ['40 characters', 40]] as const) {
    const sizes = COUNTS.map((count) => codeBytes(policies(scenario, count, length)));
    const hundred = sizes[COUNTS.indexOf(100)];
    rows.push([
      scenario.label,
      names,
      ...sizes.map(bytes),
      `${ofLimit(hundred)}${hundred > MAX_FUNCTION_CODE_BYTES ? ' (does not fit)' : ''}`,
      longest === undefined ? 'none' : longest === LONGEST_SEARCHED ? `${LONGEST_SEARCHED} (all searched)` : `${longest}`,
    ]);
  }
}

const header = ['Policies', 'Names', ...COUNTS.map((c) => `${c} domain${c === 1 ? '' : 's'}`), '100, of the limit', 'Longest names for 100'];
const output = table(header, rows);
process.stdout.write(`Function code in bytes; limit ${bytes(MAX_FUNCTION_CODE_BYTES)} bytes (CloudFront Functions, "Maximum size of a function").\n\n${output}\n`);

if (!values['no-write']) {
  writeSection(HEADING, [
    HEADING,
    '',
    '`MtaStsPolicyHost` keeps each distribution\'s policies in the code of its CloudFront Function,',
    `whose limit is ${bytes(MAX_FUNCTION_CODE_BYTES)} bytes (10 KB, "Maximum size of a function", not adjustable). The code`,
    'is ASCII, so characters are bytes. Each figure is the code for the first 1, 50 or 100 domains of a',
    'distribution, as `policyHostFunctionCode` writes it (and as synth checks it), read back to check it',
    'holds every policy; the last column, the longest names (15 to 63 characters) for which 100 domains',
    'still fit. Tenant MX hosts are `<domain-dashed>.<10 random letters and digits>.mx.microsoft`, as',
    'Microsoft 365 gives new tenants; in those rows each domain has its own `max_age` (1 to 365 days).',
    'The figures are exact, the same in every run. Run with:',
    '',
    '```',
    COMMAND,
    '```',
    '',
    output,
    '',
    'How the policies are packed (src/records/private/mta-sts-host-code.ts): the domain\'s own name in a',
    'body, as is or with dots as dashes, is written as an escape, so that lines such as the tenant\'s MX',
    'host read alike for every domain; the bodies that differ only in a few lines share one template',
    'with a place for each such line, less the start and end the versions of the line share (for a',
    'tenant\'s MX host, only its random label is left); each domain holds its name, the number of its',
    'template and the text of its places, and a text that several domains give is written once. So a',
    'domain costs about its name plus 7 bytes when it shares its whole policy, and plus 25 bytes with',
    'a tenant MX host and a `max_age` of its own. What cannot fit (100 domains with large bodies that',
    'share nothing) is refused at synth with `MTASTS-HOST-FUNCTION-SIZE`, naming the first domain that',
    'does not fit and the bytes. A CloudFront KeyValueStore was not needed: it would bring an S3 upload',
    'and, for any change after the store is created, a Lambda-backed custom resource.',
    '',
  ].join('\n'));
}
