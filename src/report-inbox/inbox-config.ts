import { Lazy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { RESPOND_TO_CLOUDFORMATION, inlineCustomResource } from './private/inline-provider';
import { invalidInput } from '../constructs/private/annotations';
import { isHostname } from '../records/private/uri';
import { REPORT_RULES } from '../standard/report-rules';

/**
 * Where the domain list is kept in the report bucket: the parser function reads it (and may
 * read `config/*` only), the inbox's own custom resource writes it at deployment.
 * @internal
 */
export const CONFIG_PREFIX = 'config/';
/** @internal */
export const DOMAINS_KEY = `${CONFIG_PREFIX}domains.json`;

/**
 * The most characters of domain names, comma-separated, one inbox takes (about 3,800 names of
 * 25 characters). The list goes to the config writer in its custom resource's properties, which
 * CloudFormation sends twice on an update (old and new) in one Lambda invocation of at most
 * 256 KB; the template, which holds the list three times (the writer and the two Glue tables'
 * partition projection), stays under CloudFormation's 1 MB.
 */
const MAX_DOMAIN_LIST = 100_000;

/** One domain of the inbox. */
interface DomainEntry {
  /** Lower case, without a trailing dot. */
  readonly name: string;
  /** False for a parked domain: its reports are taken, but its silence raises no alarm. */
  readonly sendsMail: boolean;
}

/**
 * The inbox's domains, in the order they were given (the props' `domains`, then
 * `domainsSendingNoMail`, then each `addDomain`), each checked as it is added. Everything derived
 * from the list reads it when the template is written, so a domain added after the inbox was
 * made reaches every part.
 * @internal
 */
export class DomainList {
  private readonly entries = new Map<string, DomainEntry>();

  constructor(private readonly owner: IConstruct, private readonly inboxDomain: string) {}

  /**
   * Add a domain, checked: a name known at synth, a hostname, not listed already.
   *
   * @returns the name as listed (lower case, no trailing dot)
   */
  public add(given: string, sendsMail: boolean): string {
    const r = REPORT_RULES.inboxDomains;
    const allowed = 'one or more domain names such as ["dept.gov.uk"], each once';
    if (Token.isUnresolved(given)) {
      throw invalidInput(this.owner, r.id, given, `${allowed}, known at synth: the parser and the authorisation records need the names`);
    }
    const name = given.trim().toLowerCase().replace(/\.$/, '');
    if (!isHostname(name)) throw invalidInput(this.owner, r.id, given, allowed);
    if (this.entries.has(name)) throw invalidInput(this.owner, r.id, given, `${allowed} (it is listed twice)`);
    this.entries.set(name, { name, sendsMail });
    return name;
  }

  /** Every domain, in the order given. */
  public get names(): string[] {
    return [...this.entries.keys()];
  }

  /** The domains that send mail, in the order given. */
  public get sendingMail(): string[] {
    return [...this.entries.values()].filter((e) => e.sendsMail).map((e) => e.name);
  }

  /** The domains that send no mail, in the order given. */
  public get sendingNoMail(): string[] {
    return [...this.entries.values()].filter((e) => !e.sendsMail).map((e) => e.name);
  }

  /**
   * The partitions the parser writes: every domain in the order given, then the inbox's own
   * (TLS reports about it arrive here too), once.
   */
  public get partitions(): string[] {
    return [...this.names.filter((n) => n !== this.inboxDomain), this.inboxDomain];
  }

  /**
   * The problems of the whole list, checked when the app is validated (domains may be added
   * until then): none at all, or more names than the inbox's configuration carries.
   */
  public validate(): string[] {
    const r = REPORT_RULES.inboxDomains;
    if (this.entries.size === 0) {
      return [`[${r.id}] ${r.summary} Got: []. Allowed: one or more domain names such as ["dept.gov.uk"], each once, in domains, domainsSendingNoMail or addDomain().`];
    }
    const characters = this.names.join(',').length;
    if (characters > MAX_DOMAIN_LIST) {
      return [`[${r.id}] ${r.summary} Got: ${this.entries.size} domains (${characters} characters). Allowed: at most ${MAX_DOMAIN_LIST} characters of domain names, comma-separated, in one inbox (the list reaches the inbox's configuration through CloudFormation, whose request to the config writer and whose template are bounded); give the others an inbox in another region or account (SES has one active receipt rule set per region and account).`];
    }
    return [];
  }
}

/**
 * The config writer: puts `config/domains.json` when the stack is created or updated:
 *
 * `{"version":1,"inboxDomain":"<inbox>","domains":[{"name":"<domain>","sendsMail":true},…]}`
 *
 * with every domain in name order (JavaScript string order), the inbox's own domain among them
 * with `sendsMail` false. The properties carry the names compactly (two comma-separated lists);
 * the object is built here. Delete leaves the object: the bucket is retained by default, and
 * a replacement of this resource (a new physical id) is followed by CloudFormation's Delete of
 * the old one, which would otherwise remove the object the new one has just written.
 */
const DOMAIN_LIST_HANDLER = `const https = require('https');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});

${RESPOND_TO_CLOUDFORMATION}

function names(list, sendsMail) {
  return (list || '').split(',').filter((name) => name.length > 0).map((name) => ({ name, sendsMail }));
}

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const physicalId = 's3://' + p.Bucket + '/' + p.Key;
  let status = 'SUCCESS';
  let reason = 'OK';
  try {
    if (event.RequestType !== 'Delete') {
      const domains = [...names(p.SendingMail, true), ...names(p.SendingNoMail, false), { name: p.InboxDomain, sendsMail: false }]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const body = JSON.stringify({ version: 1, inboxDomain: p.InboxDomain, domains });
      await s3.send(new PutObjectCommand({ Bucket: p.Bucket, Key: p.Key, Body: body, ContentType: 'application/json' }));
    }
  } catch (e) {
    console.error(e);
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 1000);
  }
  await respond(event, status, reason, physicalId);
};
`;

/**
 * What the config writer needs.
 * @internal
 */
export interface DomainListWriterProps {
  readonly list: DomainList;
  readonly inboxDomain: string;
  readonly bucketName: string;
  readonly bucketArnText: string;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Write the inbox's domain list to the report bucket at deployment, with a custom resource of
 * the inbox's own (`DomainList`: its function, role and log group). Its properties are read
 * from the list when the template is written.
 * @internal
 */
export function writeDomainList(owner: Construct, props: DomainListWriterProps): Construct {
  const scope = new Construct(owner, 'DomainList');
  const commaSeparated = (names: () => string[]) =>
    Lazy.any({ produce: () => (names().length === 0 ? undefined : [...names()].sort(byName).join(',')) });
  inlineCustomResource(scope, {
    description: 'Writes the report inbox\'s domain list to its bucket at deployment (cdk-gov-email ReportInbox)',
    roleDescription: 'Writes the report inbox\'s domain list (config/domains.json) at deployment',
    code: DOMAIN_LIST_HANDLER,
    statements: [new iam.PolicyStatement({
      sid: 'WriteDomainList',
      actions: ['s3:PutObject'],
      resources: [`${props.bucketArnText}/${DOMAINS_KEY}`],
    })],
    logsSid: 'WriteDomainListLogs',
    resourceType: 'Custom::ReportInboxDomainList',
    properties: {
      Bucket: props.bucketName,
      Key: DOMAINS_KEY,
      InboxDomain: props.inboxDomain,
      // The inbox's own domain is written by the handler, once, as sending no mail.
      SendingMail: commaSeparated(() => props.list.sendingMail.filter((n) => n !== props.inboxDomain)),
      SendingNoMail: commaSeparated(() => props.list.sendingNoMail.filter((n) => n !== props.inboxDomain)),
    },
    logRetention: props.logRetention,
    runtimeReason: 'The function runs Node.js 22, a supported LTS runtime and the one of the inbox\'s parser, so the inbox\'s functions move to a newer runtime together; '
      + 'it is a few lines of inline code using only the runtime\'s https module and AWS SDK, run at deployment.',
  });
  return scope;
}

/** JavaScript string order, as the config writer sorts. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
