/**
 * `gov-email review --format zone`: the records a plan publishes as RFC 1035 zone-file
 * fragments, one per hosted zone, for a DNS team or provider that runs the zones outside
 * Route 53. Each fragment holds the zone's records (no SOA or NS: those are the provider's),
 * the findings of each domain as comments, Route 53 aliases as comments, and values known only
 * at deployment as marked placeholders that still load.
 */
import { EmailDomain, evaluateDomain } from '../../assembly/domains';
import { DnsRecord, originText } from '../../assembly/resources';
import { Finding, Severity } from '../../records/finding';
import { TxtChunks } from '../../records/txt';
import { GovUkProfile } from '../../standard/profile';

/** One hosted zone's fragment of a zone file. */
export interface ZoneFragment {
  /** The zone's name (its `$ORIGIN`), lower case, without the trailing dot. */
  readonly zone: string;
  /** The file `--out` writes it to: `<zone>.zone` (with `-2`, `-3`… when two zones share a name). */
  readonly fileName: string;
  /** The fragment: header comments, `$ORIGIN`, records and comments, ending with a newline. */
  readonly text: string;
  /** The resource records written as records (aliases and other comments not counted). */
  readonly recordCount: number;
  /** The placeholders it holds for names and values known only at deployment. */
  readonly placeholderCount: number;
}

/** What `zoneFragments` returns: a fragment per hosted zone, and domains that publish no record. */
export interface ZoneOutput {
  /** One fragment per hosted zone, sorted by zone name. */
  readonly fragments: ZoneFragment[];
  /** Comment lines about domains that publish no record (so they are in no zone), with their findings. */
  readonly unplaced: string[];
}

/** Options for `zoneFragments`. */
export interface ZoneFileOptions {
  /** The cloud assembly the records were read from, named in each fragment's header. */
  readonly input?: string;
  /**
   * Each domain's findings, when the caller has evaluated the domains already (review's report).
   *
   * @default - each domain is evaluated here, once
   */
  readonly findings?: ReadonlyMap<EmailDomain, Finding[]>;
}

/** A record set some domains' CNAMEs point at (a central DMARC policy record) that no domain publishes as its own. */
interface CnameTarget {
  /** The domains whose CNAMEs point at it. */
  readonly domains: EmailDomain[];
  readonly record: DnsRecord;
}

/** The longest character-string a TXT record holds, in octets (RFC 1035 §3.3). */
const MAX_STRING_OCTETS = 255;
/** The reserved top-level domain (RFC 2606) placeholder targets are put under, so they can never resolve. */
const PLACEHOLDER_TLD = 'invalid';
/** The readable placeholders the assembly reader writes for what is known only at deployment. */
const PLACEHOLDER = /<[^<>]+>/g;
/** True when a text holds one of those placeholders. */
const HAS_PLACEHOLDER = /<[^<>]+>/;
/** Record types whose RDATA is one domain name. */
const NAME_TYPES = new Set(['CNAME', 'NS', 'PTR', 'DNAME']);

const encoder = new TextEncoder();

/**
 * The zone-file fragments of a plan: for each hosted zone (sorted by name), a header, `$ORIGIN`,
 * a `$TTL` only when a record's TTL is known only at deployment, then the records of every
 * domain in that zone, each domain headed by its findings as comments.
 *
 * A zone that the templates give only by id (an imported hosted zone) is named after the
 * closest name that holds all its records, and the header says so.
 */
export function zoneFragments(domains: EmailDomain[], options: ZoneFileOptions = {}): ZoneOutput {
  // Each domain is evaluated once, however many zones its records are in.
  const findings = new Map(options.findings ?? []);
  const findingsOf = (domain: EmailDomain): Finding[] => {
    let f = findings.get(domain);
    if (f === undefined) findings.set(domain, f = evaluateDomain(domain));
    return f;
  };
  const zones = new Map<string, { records: Array<{ domain: EmailDomain; record: DnsRecord }>; targets: CnameTarget[] }>();
  const zoneGroup = (key: string) => {
    const group = zones.get(key) ?? { records: [], targets: [] };
    zones.set(key, group);
    return group;
  };
  const unplaced: string[] = [];
  // The targets of the domains' CNAMEs (a central DMARC policy record) that no domain publishes
  // as its own: each written once, in its zone, after the domains.
  const owned = new Set(domains.flatMap((d) => d.records));
  const targets = new Map<DnsRecord, EmailDomain[]>();
  for (const domain of domains) {
    for (const record of domain.cnameTargets ?? []) {
      if (!owned.has(record)) targets.set(record, [...(targets.get(record) ?? []), domain]);
    }
  }
  for (const [record, pointing] of targets) zoneGroup(record.zoneKey).targets.push({ domains: pointing, record });
  for (const domain of domains) {
    if (domain.records.length === 0) {
      unplaced.push(`; domain ${domain.domain}${profileOf(domain)}: publishes no record, so it is in no zone below`);
      unplaced.push(...findingComments(findingsOf(domain)));
      continue;
    }
    for (const record of domain.records) zoneGroup(record.zoneKey).records.push({ domain, record });
  }

  const planned = [...zones.entries()].map(([key, group]) => ({
    key,
    group,
    zone: zoneOf(key, [...group.records, ...group.targets].map((r) => r.record),
      [...group.records.map((r) => r.domain), ...group.targets.flatMap((t) => t.domains)]),
  }));
  planned.sort((a, b) => compare(a.zone.name, b.zone.name) || compare(a.key, b.key));

  const usedFiles = new Set<string>();
  const fragments = planned.map(({ group, zone }) => {
    let fileName = `${fileSafe(zone.name)}.zone`;
    for (let n = 2; usedFiles.has(fileName); n++) fileName = `${fileSafe(zone.name)}-${n}.zone`;
    usedFiles.add(fileName);
    return renderZone(zone, group.records, fileName, options, findingsOf, group.targets);
  });
  return { fragments, unplaced };
}

/**
 * Every fragment one after another, as `review --format zone` prints them: each between a
 * `; ==== BEGIN zone <name> (<file>) ====` and a `; ==== END zone <name> ====` line.
 */
export function renderZoneOutput(output: ZoneOutput): string {
  const parts: string[] = [];
  if (output.unplaced.length > 0) parts.push(output.unplaced.join('\n') + '\n');
  for (const f of output.fragments) {
    parts.push(`; ==== BEGIN zone ${f.zone} (${f.fileName}) ====\n${f.text}; ==== END zone ${f.zone} ====\n`);
  }
  if (parts.length === 0) return '; no records: the plan publishes no email domain\n';
  return parts.join('\n');
}

/**
 * A TXT value as Route 53 holds it (one or more quoted character-strings with `\"`, `\\` and
 * three-digit octal escapes, or an unquoted text) as zone-file character-strings: each at
 * most 255 octets (a longer one is split), each in double quotes, with `"` and `\` escaped and
 * any octet outside printable ASCII written as the zone file's three-digit decimal escape.
 */
export function zoneCharacterStrings(value: string): string {
  return TxtChunks.parseStrings(value)
    .flatMap((s) => (TxtChunks.byteLength(s) > MAX_STRING_OCTETS ? TxtChunks.split(s, { asciiOnly: false }) : [s]))
    .map(quoteZoneString)
    .join(' ');
}

/**
 * A domain name in zone-file form, absolute (with the trailing dot): Route 53's three-digit octal
 * escapes read, and any character other than letters, digits, `-`, `_` and `*` escaped, so a
 * zone parser reads back the same name. `.` alone is the root.
 */
export function zoneName(name: string): string {
  const text = name.trim();
  if (text === '' || text === '.') return '.';
  const labels = text.replace(/\.$/, '').split('.');
  return labels.map((label) => {
    const decoded = label.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8) % 256));
    let out = '';
    for (const ch of decoded) {
      if (/[A-Za-z0-9_*-]/.test(ch)) out += ch;
      else if (ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) < 0x7f) out += `\\${ch}`;
      else for (const b of encoder.encode(ch)) out += `\\${String(b).padStart(3, '0')}`;
    }
    return out;
  }).join('.') + '.';
}

// ---- one zone ----------------------------------------------------------------------------

interface ZoneName {
  /** The `$ORIGIN`, lower case without the trailing dot. */
  readonly name: string;
  /** How the name was found, for the header. */
  readonly how: string;
}

/**
 * The zone's name: from the templates when they give it, else the closest name that holds all
 * its records (no `_` or `*` label: those are never a zone's apex here).
 */
function zoneOf(key: string, records: DnsRecord[], domains: EmailDomain[]): ZoneName {
  const zone = records[0].zone;
  const named = !key.startsWith('?') && !key.startsWith('id:') && !/[<>]/.test(zone);
  if (named) {
    const privateZone = key === zone ? '' : ` ${key.slice(zone.length).trim()}`;
    return { name: zone, how: `the hosted zone ${zone}${privateZone}` };
  }
  const names = records.filter((r) => !r.nameUnresolved).map((r) => r.name);
  const basis = names.length > 0 ? names : domains.filter((d) => !d.nameUnresolved).map((d) => d.domain);
  const suffix = commonSuffix(basis);
  const what = key.startsWith('id:') ? `the hosted zone ${key.slice(3)}` : `a hosted zone known only at deployment (${zone})`;
  if (suffix === '') {
    return { name: `unknown-zone.${PLACEHOLDER_TLD}`, how: `${what}; no name of its records is known before deployment, so the origin is a placeholder` };
  }
  return {
    name: suffix,
    how: `${what}, whose name the templates do not give: taken as ${suffix}, the closest name that holds all its records (the zone may be a parent of it)`,
  };
}

/** The longest run of whole labels every name ends with, cut after its last `_` or `*` label. */
function commonSuffix(names: string[]): string {
  if (names.length === 0) return '';
  let suffix = names[0].split('.');
  for (const n of names.slice(1)) {
    const labels = n.split('.');
    let i = 0;
    while (i < suffix.length && i < labels.length && suffix[suffix.length - 1 - i] === labels[labels.length - 1 - i]) i++;
    suffix = suffix.slice(suffix.length - i);
  }
  let cut = 0;
  suffix.forEach((label, i) => {
    if (label.startsWith('_') || label === '*') cut = i + 1;
  });
  return suffix.slice(cut).join('.');
}

/** Numbers the placeholders of one fragment: the same unknown (of the same stack and identity) keeps its number. */
class Placeholders {
  private readonly numbers = new Map<string, number>();

  /** The number of a placeholder, and whether it is new in this fragment. */
  public number(key: string): { n: number; fresh: boolean } {
    const known = this.numbers.get(key);
    if (known !== undefined) return { n: known, fresh: false };
    const n = this.numbers.size + 1;
    this.numbers.set(key, n);
    return { n, fresh: true };
  }

  /** How many placeholders the fragment holds. */
  public get count(): number {
    return this.numbers.size;
  }
}

/** What one record set becomes: comment lines, then record lines. */
interface RenderedRecord {
  readonly comments: string[];
  readonly lines: string[];
  readonly needsDefaultTtl: boolean;
}

function renderZone(
  zone: ZoneName, entries: Array<{ domain: EmailDomain; record: DnsRecord }>, fileName: string, options: ZoneFileOptions,
  findingsOf: (domain: EmailDomain) => Finding[], targets: CnameTarget[] = [],
): ZoneFragment {
  const placeholders = new Placeholders();
  const byDomain = new Map<EmailDomain, DnsRecord[]>();
  for (const { domain, record } of entries) {
    const list = byDomain.get(domain) ?? [];
    list.push(record);
    byDomain.set(domain, list);
  }
  const domains = [...byDomain.keys()].sort((a, b) => compare(a.domain, b.domain));

  const body: string[] = [];
  let recordCount = 0;
  let needsDefaultTtl = false;
  for (const domain of domains) {
    const findings = findingsOf(domain);
    body.push('', `; ---- domain ${domain.domain}${profileOf(domain)}: ${countText(findings)}`);
    body.push(...findingComments(findings));
    for (const record of byDomain.get(domain)!) {
      const r = renderRecord(record, zone.name, domain, placeholders);
      body.push(...r.comments, ...r.lines);
      recordCount += r.lines.length;
      needsDefaultTtl = needsDefaultTtl || r.needsDefaultTtl;
    }
  }

  const sortedTargets = [...targets].sort((a, b) => compare(a.record.name, b.record.name) || compare(a.record.type, b.record.type));
  for (const { domains: pointing, record } of sortedTargets) {
    const names = pointing.map((d) => d.domain).sort(compare);
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    body.push('', `; ---- ${record.name} ${record.type}: the target of a CNAME of ${names.length} domain${names.length === 1 ? '' : 's'} (${shown}), each judged by it`);
    const r = renderRecord(record, zone.name, pointing[0], placeholders);
    body.push(...r.comments, ...r.lines);
    recordCount += r.lines.length;
    needsDefaultTtl = needsDefaultTtl || r.needsDefaultTtl;
  }

  const header = [
    `; zone ${zone.name}`,
    `; Produced by gov-email review${options.input === undefined ? '' : ` from ${commentText(options.input)}`}: the records the plan publishes in ${commentText(zone.how)}.`,
    '; Records only: the zone\'s SOA and NS records are the DNS provider\'s own. Values known only at deployment are',
    `; placeholders (placeholder-<n> in names, under .${PLACEHOLDER_TLD} in targets, PLACEHOLDER-<n> in text), each explained above its record.`,
    `$ORIGIN ${zoneName(zone.name)}`,
  ];
  if (needsDefaultTtl) header.push('$TTL 3600 ; a placeholder for the TTLs known only at deployment (records marked below)');
  return { zone: zone.name, fileName, text: [...header, ...body].join('\n') + '\n', recordCount, placeholderCount: placeholders.count };
}

function renderRecord(r: DnsRecord, origin: string, domain: EmailDomain, placeholders: Placeholders): RenderedRecord {
  const comments: string[] = [];
  const source = originText(r.origin);
  const explain = (text: string): string => {
    const key = `${r.origin.stack}|${r.sesIdentity ?? ''}|${text}`;
    const { n, fresh } = placeholders.number(key);
    const tag = `placeholder-${n}`;
    comments.push(fresh
      ? `; ${tag} stands for ${commentText(text)}: ${commentText(describePlaceholder(text, r, domain))}`
      : `; ${tag} stands for ${commentText(text)}, as above`);
    return tag;
  };

  // The owner name.
  let owner: string;
  if (r.nameUnresolved) {
    owner = placeholderName(r, origin, explain);
  } else {
    owner = zoneName(r.name);
    if (!isUnder(r.name, origin)) {
      comments.push(`; ${commentText(r.name)} ${r.type} (${source}) is not under the zone ${origin}, so it cannot be in this file; its values: ${commentText(r.values.join(' '))}`);
      return { comments, lines: [], needsDefaultTtl: false };
    }
  }

  if (r.alias) {
    const target = r.values.map((v) => v.replace(/^ALIAS\s+/, '')).join(' ');
    const cloudFront = /cloudfront\.net\.?$/i.test(target) || /Distribution[^.>]*\.DomainName>$/.test(target) ? ', a CloudFront distribution\'s domain name' : '';
    comments.push(
      `; ${owner} ${r.type}: a Route 53 alias (${source}) to ${commentText(target)}${cloudFront}. A zone file cannot hold an alias:`,
      ';   the provider needs an ALIAS or ANAME record to that name, or else a CNAME to it (not at the zone apex; one CNAME stands for both A and AAAA)',
    );
    if (r.unresolved) comments.push(`;   ${commentText(describePlaceholders(target, r, domain))}`);
    return { comments, lines: [], needsDefaultTtl: false };
  }

  if (r.type === 'SOA') {
    comments.push(`; ${owner} SOA (${source}) left out: the zone's SOA is the DNS provider's own. Its value: ${commentText(r.values.join(' '))}`);
    return { comments, lines: [], needsDefaultTtl: false };
  }
  if (r.values.length === 0) {
    comments.push(`; ${owner} ${r.type} (${source}) has no values in the template, so no record is written`);
    return { comments, lines: [], needsDefaultTtl: false };
  }

  if (r.setIdentifier !== undefined) {
    comments.push(`; ${owner} ${r.type} is one set of a Route 53 routing policy (set ${commentText(r.setIdentifier)}, ${source}): a zone file holds every set's values together`);
  }
  const ttl = r.ttl === undefined ? '' : `${r.ttl} `;
  if (r.ttl === undefined) comments.push(`; ${owner} ${r.type} (${source}): its TTL is known only at deployment, so the $TTL above applies here`);

  const lines: string[] = [];
  for (const value of r.values) {
    const rdata = renderRdata(r.type, value, r.unresolved, explain);
    if (rdata === undefined) {
      comments.push(`; ${owner} ${r.type} ${commentText(value)} (${source}): known only at deployment, and a ${r.type} value has no placeholder form; add it once deployed`);
      continue;
    }
    lines.push(`${owner} ${ttl}IN ${r.type} ${rdata}`);
  }
  return { comments, lines, needsDefaultTtl: r.ttl === undefined && lines.length > 0 };
}

/**
 * The owner of a record whose name is known only at deployment: an SES Easy DKIM record as
 * `placeholder-<n>._domainkey.<identity>.`; another with its placeholders replaced by
 * `placeholder-<n>` labels when that is a name in the zone; else `placeholder-<n>.<zone>.`.
 */
function placeholderName(r: DnsRecord, origin: string, explain: (text: string) => string): string {
  const parts = r.name.match(PLACEHOLDER) ?? [r.name];
  if (r.sesIdentity !== undefined && parts.length === 1 && r.name === parts[0]) {
    const candidate = `${explain(parts[0])}._domainkey.${r.sesIdentity}`;
    return isUnder(candidate, origin) ? zoneName(candidate) : zoneName(`${candidate.split('.')[0]}.${origin}`);
  }
  const tags = parts.map(explain);
  let i = 0;
  const substituted = r.name.replace(PLACEHOLDER, () => tags[i++]).toLowerCase();
  if (substituted !== tags[0] && isHostLike(substituted) && isUnder(substituted, origin)) return zoneName(substituted);
  return zoneName(`${tags.join('-')}.${origin}`);
}

/** The RDATA of one value in zone-file form, with placeholders marked; undefined when it cannot be written. */
function renderRdata(type: string, value: string, unresolved: boolean, explain: (text: string) => string): string | undefined {
  const substitute = (text: string, form: (tag: string) => string): string =>
    (unresolved ? text.replace(PLACEHOLDER, (m) => form(explain(m))) : text);
  const target = (text: string): string => {
    if (unresolved && text.trim().match(PLACEHOLDER)?.[0] === text.trim()) return zoneName(`${explain(text.trim())}.${PLACEHOLDER_TLD}`);
    const name = substitute(text, (tag) => tag);
    return zoneName(name);
  };
  switch (type) {
    case 'TXT':
    case 'SPF':
      return zoneCharacterStrings(substitute(value, (tag) => tag.toUpperCase()));
    case 'MX': {
      const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(value);
      if (!m || (unresolved && HAS_PLACEHOLDER.test(m[1]))) return undefined;
      return `${m[1]} ${target(m[2])}`;
    }
    case 'SRV': {
      const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(value);
      if (!m || (unresolved && HAS_PLACEHOLDER.test(`${m[1]} ${m[2]} ${m[3]}`))) return undefined;
      return `${m[1]} ${m[2]} ${m[3]} ${target(m[4])}`;
    }
    case 'CAA': {
      const m = /^\s*(\S+)\s+(\S+)\s+(.*?)\s*$/.exec(value);
      if (!m) return undefined;
      const text = substitute(m[3], (tag) => tag.toUpperCase());
      const strings = text.startsWith('"') ? TxtChunks.parseStrings(text).join('') : text;
      return `${m[1]} ${m[2]} ${quoteZoneString(strings)}`;
    }
    default:
      if (NAME_TYPES.has(type)) return target(value);
      if (unresolved && HAS_PLACEHOLDER.test(value)) return undefined;
      return value;
  }
}

/** What a placeholder stands for and where the real value comes from. */
function describePlaceholder(text: string, r: DnsRecord, domain: EmailDomain): string {
  const declared = `the record is ${originText(r.origin)}`;
  const dkim = /^<SES DKIM token (name|value) ([123])>$/.exec(text);
  if (dkim) {
    const identity = r.sesIdentity ?? domain.domain;
    const id = domain.sesIdentities.find((i) => i.identity === identity);
    const attribute = `DkimDNSToken${dkim[1] === 'name' ? 'Name' : 'Value'}${dkim[2]}`;
    const resource = id === undefined ? 'the SES identity' : `the SES identity ${originText(id.origin)}`;
    const real = dkim[1] === 'name' ? `<token>._domainkey.${identity}` : '<token>.dkim.amazonses.com';
    return `the ${attribute} attribute (Fn::GetAtt) of ${resource} for ${identity}, an SES Easy DKIM token known after deployment (${real}; `
      + `aws sesv2 get-email-identity --email-identity ${identity} lists the tokens in DkimAttributes.Tokens, number ${dkim[2]} here); ${declared}`;
  }
  const getAtt = /^<Fn::GetAtt ([^.>]+)\.([^>]+)>$/.exec(text);
  if (getAtt) {
    return `the ${getAtt[2]} attribute (Fn::GetAtt) of the resource ${getAtt[1]} in the stack ${r.origin.stack}, known after deployment `
      + `(a stack output of it shows it: aws cloudformation describe-stacks --stack-name <the deployed stack>); ${declared}`;
  }
  const imported = /^<Fn::ImportValue (.+)>$/.exec(text);
  if (imported) return `the export ${imported[1]}, which no stack of this assembly makes (aws cloudformation list-exports shows it); ${declared}`;
  const parameter = /^<parameter (.+)>$/.exec(text);
  if (parameter) return `the parameter ${parameter[1]} of the stack ${r.origin.stack}, given at deployment; ${declared}`;
  const ref = /^<Ref (.+)>$/.exec(text);
  if (ref) return `Ref ${ref[1]} in the stack ${r.origin.stack}, known after deployment; ${declared}`;
  if (/^<(region|account|partition|url suffix|stack name|stack id)>$/.test(text)) {
    return `the ${text.slice(1, -1)} the stack ${r.origin.stack} is deployed to or with (an environment-agnostic stack); ${declared}`;
  }
  return `a value of the stack ${r.origin.stack} known only at deployment; ${declared}`;
}

/** Each placeholder in a text, described. */
function describePlaceholders(text: string, r: DnsRecord, domain: EmailDomain): string {
  const found = text.match(PLACEHOLDER) ?? [];
  return found.length === 0 ? text : found.map((p) => `${p} is ${describePlaceholder(p, r, domain)}`).join('; ');
}

// ---- text --------------------------------------------------------------------------------

/** One character-string in double quotes, zone-file escaped (`\"`, `\\`, `\DDD` decimal for other octets). */
function quoteZoneString(s: string): string {
  let out = '"';
  for (const b of encoder.encode(s)) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, '0')}`;
  }
  return out + '"';
}

/** Text for a comment: one line, printable (a newline or control character would end the comment or break the file). */
function commentText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?');
}

/** One `;` line per finding, most severe first: severity, rule id, message. */
function findingComments(findings: Finding[]): string[] {
  const order: Record<string, number> = { [Severity.ERROR]: 0, [Severity.WARNING]: 1, [Severity.INFO]: 2 };
  return [...findings]
    .sort((a, b) => (order[a.severity] - order[b.severity]) || compare(a.ruleId, b.ruleId))
    .map((f) => `; ${f.severity.toUpperCase()} ${f.ruleId}: ${commentText(f.message)}`);
}

function countText(findings: Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${plural(n(Severity.ERROR), 'error')}, ${plural(n(Severity.WARNING), 'warning')}, ${n(Severity.INFO)} info`;
}

function profileOf(domain: EmailDomain): string {
  if (domain.posture === undefined) return ' (name known only at deployment)';
  return GovUkProfile.isParked(domain.posture) ? ' (parked)' : ' (active)';
}

/** True when `name` is `zone` or a name under it. */
function isUnder(name: string, zone: string): boolean {
  const n = name.toLowerCase();
  return n === zone || n.endsWith(`.${zone}`);
}

/** Labels of 1 to 63 characters, at most 253 in all: a name a zone parser takes. */
function isHostLike(name: string): boolean {
  return name.length <= 253 && name.split('.').every((l) => l.length > 0 && l.length <= 63);
}

/** A zone name as a file name: what a file name cannot hold replaced. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Code-point order, the same under every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
