import { Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { invalidInput } from './findings';
import { RecordLocation } from './record-names';
import { Finding, Severity } from '../../records/finding';
import { TXT_RULES, TxtChunks } from '../../records/txt';
import { RECORD_CONSTRUCT_RULES } from '../../standard/platform-rules';
import { GOVUK_RULES } from '../../standard/rules';

export { RECORD_CONSTRUCT_RULES };

// ---------------------------------------------------------------------------------------------
// One record set per (name, type) in a zone
// ---------------------------------------------------------------------------------------------

interface Claim {
  readonly key: string;
  readonly type: string;
  readonly display: string;
  readonly owner: IConstruct;
}

/** Per app (the construct tree's root): zone key -> the records claimed in that zone. */
const REGISTRIES = new WeakMap<IConstruct, Map<string, Claim[]>>();
/** Zones whose id is a token and cannot be resolved: one key per zone object. */
const ZONE_OBJECT_KEYS = new WeakMap<object, string>();
let zoneObjects = 0;

/**
 * Claim a record set (name and type) in a zone for a construct. When two constructs of one app
 * claim the same name and type in the same zone (or a CNAME and anything else at one name),
 * synth fails with `ROUTE53-RECORD-CONFLICT`, naming both constructs' paths: CloudFormation
 * would otherwise fail half-way through a deployment, or one construct would overwrite the
 * other's record.
 *
 * @param owner the construct that publishes the record (its path is named in the error)
 * @param location where the record goes
 * @param type the record type
 * @internal
 */
export function claimRecord(owner: IConstruct, location: RecordLocation, type: string): void {
  const root = owner.node.root;
  let zones = REGISTRIES.get(root);
  if (zones === undefined) {
    zones = new Map();
    REGISTRIES.set(root, zones);
  }
  const zone = zoneKey(location.zone);
  const claims = zones.get(zone) ?? [];
  zones.set(zone, claims);
  const claim: Claim = { key: location.key, type: type.toUpperCase(), display: location.display, owner };
  claims.push(claim);
  owner.node.addValidation({ validate: () => conflicts(claim, claims) });
}

/**
 * Claim a record set by its fully qualified name (a trailing dot is ignored), for constructs
 * that write their own record sets (ParkedDomain's RecordSetGroup, SesSendingIdentity's MAIL
 * FROM records): they take part in the same one-record-set-per-name-and-type check.
 * @internal
 */
export function claimRecordName(owner: IConstruct, zone: route53.IHostedZone, name: string, type: string): void {
  const key = Token.isUnresolved(name) ? name : name.toLowerCase().replace(/\.$/, '');
  claimRecord(owner, { zone, recordName: name, key, display: Token.isUnresolved(name) ? '(a name known only at deployment)' : key }, type);
}

function conflicts(mine: Claim, claims: Claim[]): string[] {
  const r = RECORD_CONSTRUCT_RULES.recordConflict;
  // Each pair once, on the construct that claimed second.
  return claims.slice(0, claims.indexOf(mine))
    .filter((other) => other.key === mine.key
      && (other.type === mine.type || other.type === 'CNAME' || mine.type === 'CNAME'))
    .map((other) => {
      const what = other.type === mine.type ? `${mine.type} "${mine.display}"` : `${mine.type} and ${other.type} at "${mine.display}"`;
      const fix = mine.type === 'TXT' && other.type === 'TXT'
        ? ' Publish the name from one construct and give it the other values (additionalValues, additionalApexTxt).'
        : ' Publish the name from one construct.';
      return `[${r.id}] ${what} in one hosted zone is published by both ${mine.owner.node.path} and ${other.owner.node.path}. ${r.summary}${fix} (${r.source})`;
    });
}

function zoneKey(zone: route53.IHostedZone): string {
  const id = zone.hostedZoneId;
  if (!Token.isUnresolved(id)) {
    return `id:${id}`;
  }
  try {
    // A zone created in this app, or imported from an export: its id resolves to the same
    // intrinsic in its own stack whichever object refers to it.
    return `${Stack.of(zone).node.path}:${JSON.stringify(Stack.of(zone).resolve(id))}`;
  } catch {
    let key = ZONE_OBJECT_KEYS.get(zone);
    if (key === undefined) {
      key = `zone#${++zoneObjects}`;
      ZONE_OBJECT_KEYS.set(zone, key);
    }
    return key;
  }
}

// ---------------------------------------------------------------------------------------------
// Publishing a record set
// ---------------------------------------------------------------------------------------------

/**
 * Publish one record set: a `route53.RecordSet` with the name, type, values and TTL given
 * (never `deleteExisting`), claimed in the registry for `owner`.
 *
 * @param owner the construct the record set belongs to, and its scope
 * @param id the record set's construct id (part of its logical id: keep it stable)
 * @param location where the record goes
 * @param type the record type
 * @param values the values, as Route 53 takes them (TXT values quoted: see `route53Txt`)
 * @param ttl the TTL in seconds, as `zone-names.ttlString` gives it
 * @internal
 */
export function publishRecordSet(owner: Construct, id: string, location: RecordLocation, type: route53.RecordType,
  values: string[], ttl: string): route53.RecordSet {
  const recordSet = new route53.RecordSet(owner, id, {
    zone: location.zone,
    recordName: location.recordName,
    recordType: type,
    target: route53.RecordTarget.fromValues(...values),
  });
  const cfn = recordSet.node.defaultChild as route53.CfnRecordSet;
  // A TTL that is a token is written as the token, not as aws-cdk-lib's number-to-string.
  cfn.ttl = ttl;
  if (location.cfnName !== undefined) {
    cfn.name = location.cfnName;
  }
  claimRecord(owner, location, type);
  return recordSet;
}

/**
 * A TXT value as Route 53 takes it: split into 255-octet character-strings, quoted and escaped
 * by `TxtChunks.toRoute53Value`. A value that is a token (or holds one) cannot be measured or
 * split at synth: it is written as one quoted string, and the caller reports it as not
 * evaluated. A value Route 53 cannot hold fails with the TXT rule it breaks, naming `scope`,
 * and so does a value given with its quotes (`TXT-QUOTED-VALUE`, see `refuseQuotedTxt`).
 *
 * @param scope the construct to name in an error
 * @param text the record text
 * @internal
 */
export function route53Txt(scope: IConstruct, text: string): string {
  if (Token.isUnresolved(text)) {
    return `"${text}"`;
  }
  refuseQuotedTxt(scope, text);
  try {
    return TxtChunks.toRoute53Value(text);
  } catch (err) {
    const ruleId = /^\[([A-Z0-9-]+)\]/.exec(String((err as Error).message))?.[1] ?? TXT_RULES.route53ValueLength.id;
    const shown = text.length > 60 ? `${text.slice(0, 60)}... (${text.length} characters)` : text;
    const allowed = ruleId === TXT_RULES.nonAscii.id
      ? 'printable ASCII only (U+0020 to U+007E)'
      : 'a value Route 53 can hold: at most 4,000 characters once split into quoted 255-octet strings';
    throw invalidInput(scope, ruleId, shown, allowed);
  }
}

/**
 * Refuse a TXT value given with the quotes of a zone file or the Route 53 console
 * (`"MS=ms12345678"`, `"abc" "def"`): the library quotes every value itself, so the quotes would
 * be published as part of the record (`"\"MS=ms12345678\""`), and the verification or record
 * they belong to would not be found. Fails with `TXT-QUOTED-VALUE`, naming `scope` and the value
 * to write instead. A quote inside the text is left alone: it is the value's own.
 *
 * @param scope the construct to name in an error
 * @param text the value as given (not a token)
 * @internal
 */
export function refuseQuotedTxt(scope: IConstruct, text: string): void {
  const trimmed = text.trim();
  if (!trimmed.startsWith('"') && !trimmed.endsWith('"')) {
    return;
  }
  const unquoted = TxtChunks.parse(trimmed);
  const shown = text.length > 60 ? `${text.slice(0, 60)}... (${text.length} characters)` : text;
  const example = unquoted.length > 60 ? `${unquoted.slice(0, 60)}...` : unquoted;
  throw invalidInput(scope, TXT_RULES.quotedValue.id, shown,
    `the text without quotes, such as ${JSON.stringify(example)}: the library splits each value into 255-octet strings and quotes them`);
}

// ---------------------------------------------------------------------------------------------
// Who reports on a record
// ---------------------------------------------------------------------------------------------

const EVALUATES_CHILD_RECORDS = Symbol.for('cdk-gov-email.evaluatesChildRecords');

/**
 * Mark a construct as evaluating the records of its direct children with the profile itself
 * (`GovEmailDomain` evaluates the whole domain at once), so a child record construct does not
 * report the same findings a second time.
 * @internal
 */
export function evaluateChildRecordsHere(scope: IConstruct): void {
  Object.defineProperty(scope, EVALUATES_CHILD_RECORDS, { value: true, enumerable: false });
}

/**
 * Whether a construct's parent evaluates its records (see `evaluateChildRecordsHere`): then the
 * construct still refuses bad input and notes explicit weaker choices, but leaves the profile's
 * findings, and the GOVUK-NOT-EVALUATED notes for tokens, to the parent.
 * @internal
 */
export function isEvaluatedByParent(scope: IConstruct): boolean {
  const parent = scope.node.scope as unknown as Record<symbol, unknown> | undefined;
  return parent !== undefined && parent[EVALUATES_CHILD_RECORDS] === true;
}

/**
 * Report profile errors the caller has explicitly chosen to accept as warnings (for example
 * `p=none` with `allowMonitoringOnly`), with the reason appended to the message. Other findings
 * are returned as they are.
 *
 * @param findings the profile's findings
 * @param ruleIds the rules whose errors are accepted
 * @param reason why, naming the prop that accepts them
 * @internal
 */
export function acceptAsWarnings(findings: Finding[], ruleIds: string[], reason: string): Finding[] {
  return findings.map((f) => f.severity === Severity.ERROR && ruleIds.includes(f.ruleId)
    ? { ...f, severity: Severity.WARNING, message: `${f.message} Accepted as a warning: ${reason}.` }
    : f);
}

/**
 * The profile's DMARC policy errors for `p=none` / `sp=none`, accepted as warnings because
 * `allowMonitoringOnly` was set (by `DmarcRecord` on its own, or by `GovEmailDomain` for its
 * DMARC record).
 * @internal
 */
export function acceptMonitoringOnly(findings: Finding[]): Finding[] {
  return acceptAsWarnings(findings, [GOVUK_RULES.dmarcPolicy.id, GOVUK_RULES.dmarcSubdomainPolicy.id],
    'allowMonitoringOnly is set, so DmarcPolicy.NONE was chosen explicitly; move to quarantine or reject once reports show who sends as the domain');
}
