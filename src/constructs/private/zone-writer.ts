import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct, IConstruct } from 'constructs';
import { invalidInput } from './annotations';
import { plannedRecord } from './planned-records';
import { RecordNames, RecordPlace } from './record-names';
import { PlannedRecord } from '../../plan';
import { TXT_RULES, TxtChunks } from '../../records/txt';
import { CONSTRUCT_RULES, RECORD_CONSTRUCT_RULES } from '../../standard/platform-rules';

/**
 * The TTL of every record the constructs publish unless told otherwise, in hours (no Duration:
 * one made when this module loads would load CDK's core with it).
 */
const DEFAULT_TTL_HOURS = 1;
/** The default TTL as a record set's `TTL` string: `DEFAULT_TTL_HOURS` in seconds. */
const DEFAULT_TTL_STRING = String(DEFAULT_TTL_HOURS * 3600);
/** RFC 2181 §8: a TTL is an unsigned 32-bit number with the top bit clear. */
const MAX_TTL_SECONDS = 2147483647;
/** Route 53's change batch: at most 1,000 values and 32,000 characters of values (each counted twice for an UPSERT). */
const CHANGE_BATCH_VALUES = 1000;
const CHANGE_BATCH_CHARACTERS = 32000;

/**
 * A record set for a `ZoneWriter` to write. It is the plan's record shape (`PlannedRecord`'s
 * `name`, `type` and `values`) as a construct holds it before writing, with two differences:
 * TXT values are the plain text to publish, which the writer splits into 255-octet strings and
 * quotes (a `PlannedRecord` holds them quoted, as Route 53 and DNS answers give them), and the
 * TTL is the writer's. The name and the values may hold tokens.
 * @internal
 */
export interface RecordSetSpec {
  /** The whole name, without a trailing dot (`_dmarc.dept.gov.uk`; `RecordNames.at` makes it). */
  readonly name: string;
  /** The record type. */
  readonly type: route53.RecordType;
  /** One value per resource record: TXT as plain text, MX as `<preference> <host>`, CNAME as the target. */
  readonly values: string[];
}

/**
 * An alias record set (A or AAAA) in a record set group: it has a target instead of values,
 * and no TTL.
 * @internal
 */
export interface AliasRecordSpec {
  /** The whole name, without a trailing dot. */
  readonly name: string;
  /** The record type, `A` or `AAAA`. */
  readonly type: route53.RecordType;
  /** Where the alias points. */
  readonly aliasTarget: route53.CfnRecordSetGroup.AliasTargetProperty;
}

/**
 * How a `ZoneWriter` writes a record set group.
 * @internal
 */
export interface RecordSetGroupOptions {
  /** The group's comment. */
  readonly comment: string;
  /** The record sets, in the order the template lists them. */
  readonly records: Array<RecordSetSpec | AliasRecordSpec>;
  /** What the change-batch error calls the records, for example `one parked domain's records`. */
  readonly contents: string;
  /**
   * Claim the records for the group itself rather than the writer's owner: for an owner that
   * holds a group per domain (`MtaStsPolicyHost`'s `Aliases`), so a conflict names the group.
   *
   * @default false
   */
  readonly claimForGroup?: boolean;
}

/**
 * How a refused TXT value is reported. The checks are the same; the messages are the ones each
 * construct has always given (tests and users match on them).
 * @internal
 */
export enum TxtWording {
  /** Record text a construct writes, or is given for its record (`SpfRecord.additionalValues`, DKIM keys). */
  RECORD = 'record',
  /** `ParkedDomain.additionalApexTxt`: the first bad character and its index are named. */
  APEX_VALUE = 'apex-value',
}

/**
 * The one way a record reaches a template. A zone writer belongs to a construct (its owner,
 * named in every error and conflict), writes in one hosted zone with the names `RecordNames`
 * makes, and owns what every record set needs: the TTL (`ttl`, one hour by default, as a whole
 * number of seconds that may be a token), the TXT encoding (255-octet quoted strings, values
 * given with their quotes refused with `TXT-QUOTED-VALUE`, tokens written as one quoted string),
 * the claim that no other construct of the app publishes the same name and type in the zone
 * (`ROUTE53-RECORD-CONFLICT`), and writing either one `route53.RecordSet` per record set
 * (never `deleteExisting`) or one `AWS::Route53::RecordSetGroup` for many.
 * @internal
 */
export class ZoneWriter {
  /**
   * A writer for `owner`'s records.
   *
   * @param owner the construct the records belong to: their scope, named in errors and conflicts
   * @param names the zone, and the domain when the records are at one
   * @param ttl how long resolvers may cache the records, one hour when not given; fails
   * `ROUTE53-TTL` unless whole seconds up to 2^31 - 1
   */
  public static of(owner: Construct, names: RecordNames, ttl?: Duration): ZoneWriter {
    return new ZoneWriter(owner, names, ttlString(owner, ttl));
  }

  /** The TXT values of each record written or planned, as `values` gave them. */
  private readonly txtValues = new WeakMap<RecordSetSpec, string[]>();

  private constructor(
    /** The construct the records belong to. */
    public readonly owner: Construct,
    /** The zone and domain the records are named in. */
    public readonly names: RecordNames,
    /** The TTL of every record set written, as the template holds it. */
    public readonly ttl: string) {}

  /** A writer for the same owner and TTL in another zone, for records given whole names there. */
  public inZone(zone: route53.IHostedZone): ZoneWriter {
    return new ZoneWriter(this.owner, RecordNames.forZone(zone), this.ttl);
  }

  /**
   * Write one record set as a `route53.RecordSet` and claim its name and type in the zone.
   *
   * @param id the record set's construct id under the owner (part of its logical id: keep it stable)
   * @param record what to write
   */
  public recordSet(id: string, record: RecordSetSpec): route53.RecordSet {
    const place = this.names.place(record.name);
    const recordSet = new route53.RecordSet(this.owner, id, {
      zone: place.zone,
      recordName: place.recordName,
      recordType: record.type,
      target: route53.RecordTarget.fromValues(...this.values(record)),
    });
    const cfn = recordSet.node.defaultChild as route53.CfnRecordSet;
    // A TTL that is a token is written as the token, not as aws-cdk-lib's number-to-string.
    cfn.ttl = this.ttl;
    if (place.setOnRecordSet) {
      cfn.name = place.templateName;
    }
    claimRecord(this.owner, place, record.type);
    return recordSet;
  }

  /**
   * Write record sets as one `AWS::Route53::RecordSetGroup` under the owner: one CloudFormation
   * resource, which Route 53 applies as one change batch. Fails `ROUTE53-CHANGE-BATCH-SIZE`
   * when an UPSERT of every value would not fit one batch.
   *
   * @param id the group's construct id (part of its logical id: keep it stable)
   * @param options the record sets and the group's comment
   */
  public recordSetGroup(id: string, options: RecordSetGroupOptions): route53.CfnRecordSetGroup {
    const recordSets = options.records.map((record): route53.CfnRecordSetGroup.RecordSetProperty => {
      const name = this.names.place(record.name).templateName;
      return 'aliasTarget' in record
        ? { name, type: record.type, aliasTarget: record.aliasTarget }
        : { name, type: record.type, ttl: this.ttl, resourceRecords: this.values(record) };
    });
    this.checkChangeBatch(recordSets, options.contents);
    const group = new route53.CfnRecordSetGroup(this.owner, id, {
      hostedZoneId: this.names.zone.hostedZoneId,
      comment: options.comment,
      recordSets,
    });
    const claimant = options.claimForGroup ? group : this.owner;
    for (const record of options.records) {
      claimRecord(claimant, this.names.place(record.name), record.type);
    }
    return group;
  }

  /**
   * Write the three CNAME records of an SES identity's Easy DKIM keys (`DkimCname1` to
   * `DkimCname3`), named and pointed by the identity's attributes: SES gives each name whole,
   * without a trailing dot, so it is written fully qualified.
   *
   * @param identity the SES identity
   */
  public easyDkimCnames(identity: ses.EmailIdentity): route53.RecordSet[] {
    const tokens: Array<[string, string]> = [
      [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
      [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
      [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
    ];
    return tokens.map(([name, value], i) =>
      this.recordSet(`DkimCname${i + 1}`, { name, type: route53.RecordType.CNAME, values: [value] }));
  }

  /**
   * A record set as the plan holds it once written: its values as Route 53 takes them (TXT
   * quoted), those holding a token left out and the record marked as holding unresolved values.
   *
   * @param record what is, or will be, written
   */
  public planned(record: RecordSetSpec): PlannedRecord {
    return plannedRecord(record.name, record.type, this.values(record));
  }

  /**
   * The values as Route 53 takes them: TXT split and quoted, others as given. Worked out once for
   * each record: a construct writes a record and then plans it.
   */
  private values(record: RecordSetSpec): string[] {
    if (record.type !== route53.RecordType.TXT) {
      return record.values;
    }
    let values = this.txtValues.get(record);
    if (values === undefined) {
      values = record.values.map((text) => txtValue(this.owner, text, TxtWording.RECORD));
      this.txtValues.set(record, values);
    }
    return values;
  }

  /** A record set group is one change batch: keep within Route 53's limits even for an UPSERT. */
  private checkChangeBatch(recordSets: route53.CfnRecordSetGroup.RecordSetProperty[], contents: string): void {
    const values = recordSets.flatMap((r) => r.resourceRecords ?? []);
    const characters = values.reduce((sum, v) => sum + v.length, 0);
    if (values.length * 2 > CHANGE_BATCH_VALUES || characters * 2 > CHANGE_BATCH_CHARACTERS) {
      throw invalidInput(this.owner, CONSTRUCT_RULES.changeBatchSize.id, `${values.length} values, ${characters} characters`,
        `at most 500 values and 16,000 characters in ${contents}, so an UPSERT of them all fits one change batch`,
        CONSTRUCT_RULES.changeBatchSize.summary);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TTL
// ---------------------------------------------------------------------------------------------

/** The TTL as a record set's `TTL` string: `ttl` in whole seconds, or 3600 by default. */
function ttlString(scope: IConstruct, ttl: Duration | undefined): string {
  if (ttl === undefined) {
    return DEFAULT_TTL_STRING;
  }
  const allowed = `a whole number of seconds from 0 to ${MAX_TTL_SECONDS}`;
  let seconds: number;
  try {
    seconds = ttl.toSeconds();
  } catch {
    throw invalidInput(scope, CONSTRUCT_RULES.ttl.id, ttl.toString(), allowed, CONSTRUCT_RULES.ttl.summary);
  }
  if (!Token.isUnresolved(seconds) && seconds > MAX_TTL_SECONDS) {
    throw invalidInput(scope, CONSTRUCT_RULES.ttl.id, ttl.toString(), allowed, CONSTRUCT_RULES.ttl.summary);
  }
  return Tokenization.stringifyNumber(seconds);
}

// ---------------------------------------------------------------------------------------------
// TXT values
// ---------------------------------------------------------------------------------------------

/**
 * Check a TXT value before it is written, as the writer will: refused when given with its quotes
 * (`TXT-QUOTED-VALUE`), when not printable ASCII (`TXT-NON-ASCII`) or when Route 53 cannot hold
 * it (`TXT-ROUTE53-VALUE-LENGTH`), naming `scope`. A value holding a token is not checked.
 *
 * @param scope the construct to name in an error
 * @param text the value as given
 * @param wording how the error is worded
 * @internal
 */
export function checkTxtValue(scope: IConstruct, text: string, wording: TxtWording = TxtWording.RECORD): void {
  txtValue(scope, text, wording);
}

/**
 * A TXT value as Route 53 takes it: split into 255-octet character-strings, quoted and escaped
 * by `TxtChunks.toRoute53Value`. A value that is a token (or holds one) cannot be measured or
 * split at synth: it is written as one quoted string (Route 53 refuses it at deployment if it
 * resolves to more than 255 octets), and the construct reports it as not evaluated.
 */
function txtValue(scope: IConstruct, text: string, wording: TxtWording): string {
  if (Token.isUnresolved(text)) {
    return `"${text}"`;
  }
  const written = writtenTxt.get(text);
  if (written !== undefined) {
    return written;
  }
  const value = checkedTxtValue(scope, text, wording);
  if (writtenTxt.size >= TXT_KEPT) writtenTxt.clear();
  writtenTxt.set(text, value);
  return value;
}

/**
 * The TXT values written so far, by their text: the parked domains of an estate publish the same
 * SPF, DKIM and DMARC texts. Only values that passed every check are kept (a refused text throws,
 * naming its construct, each time); whether a text passes, and how it is written, depend on the
 * text alone.
 */
const writtenTxt = new Map<string, string>();
const TXT_KEPT = 1000;

/** `txtValue` of a text known at synth, checked and written. */
function checkedTxtValue(scope: IConstruct, text: string, wording: TxtWording): string {
  refuseQuotedTxt(scope, text);
  const apex = wording === TxtWording.APEX_VALUE;
  const nonAscii = /[^\x20-\x7e]/.exec(text);
  if (nonAscii !== null) {
    // Route 53 takes other octets only as \ddd escapes, and whether its 255-character limit
    // counts them escaped or decoded is not documented: keep to what every tool agrees on.
    const code = nonAscii[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw apex
      ? invalidInput(scope, TXT_RULES.nonAscii.id, text,
        `printable ASCII only (U+0020 to U+007E); got U+${code} at index ${nonAscii.index}`, 'Apex TXT values are printable ASCII.')
      : invalidInput(scope, TXT_RULES.nonAscii.id, shorten(text), 'printable ASCII only (U+0020 to U+007E)');
  }
  try {
    return TxtChunks.toRoute53Value(text);
  } catch {
    throw apex
      ? invalidInput(scope, TXT_RULES.route53ValueLength.id, `${text.slice(0, 40)}... (${text.length} characters)`,
        'a value that Route 53 can hold: at most 4,000 characters once split into quoted 255-octet strings')
      : invalidInput(scope, TXT_RULES.route53ValueLength.id, shorten(text),
        'a value Route 53 can hold: at most 4,000 characters once split into quoted 255-octet strings');
  }
}

/**
 * Refuse a TXT value given with the quotes of a zone file or the Route 53 console
 * (`"MS=ms12345678"`, `"abc" "def"`): the writer quotes every value itself, so the quotes would
 * be published as part of the record (`"\"MS=ms12345678\""`), and the verification or record
 * they belong to would not be found. A quote inside the text is left alone: it is the value's own.
 */
function refuseQuotedTxt(scope: IConstruct, text: string): void {
  const trimmed = text.trim();
  if (!trimmed.startsWith('"') && !trimmed.endsWith('"')) {
    return;
  }
  const unquoted = TxtChunks.parse(trimmed);
  const example = unquoted.length > 60 ? `${unquoted.slice(0, 60)}...` : unquoted;
  throw invalidInput(scope, TXT_RULES.quotedValue.id, shorten(text),
    `the text without quotes, such as ${JSON.stringify(example)}: the library splits each value into 255-octet strings and quotes them`);
}

/** A long value as an error shows it: its first 60 characters and its length. */
function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}... (${text.length} characters)` : text;
}

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
 */
function claimRecord(owner: IConstruct, place: RecordPlace, type: string): void {
  const root = owner.node.root;
  let zones = REGISTRIES.get(root);
  if (zones === undefined) {
    zones = new Map();
    REGISTRIES.set(root, zones);
  }
  const zone = zoneKey(place.zone);
  const claims = zones.get(zone) ?? [];
  zones.set(zone, claims);
  const claim: Claim = { key: place.key, type: type.toUpperCase(), display: place.display, owner };
  claims.push(claim);
  owner.node.addValidation({ validate: () => conflicts(claim, claims) });
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
