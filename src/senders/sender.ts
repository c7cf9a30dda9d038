import { SenderProblem, includeCostProblems } from './private/problems';
import { MxModel } from '../records/mx';
import { isHostname } from '../records/private/uri';
import { SpfIncludeCost } from '../records/spf';
import { CONSTRUCT_RULES, SENDER_RULES, SES_RULES } from '../standard/platform-rules';

/** RFC 1123 §2.1 label: letters, digits and inner hyphens, 1–63 characters. */
const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
/** An AWS region name such as eu-west-2 or us-gov-west-1. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * How a sender's DKIM key is published.
 */
export enum DkimRecordType {
  /** A CNAME to a key the service publishes and rotates itself. */
  CNAME = 'CNAME',
  /** A TXT record holding the key (`v=DKIM1; k=rsa; p=...`). */
  TXT = 'TXT',
}

/**
 * The mail services the catalogue knows.
 */
export enum SenderKind {
  /** Amazon Simple Email Service. */
  AMAZON_SES = 'amazon-ses',
  /** Microsoft 365 (Exchange Online). */
  MICROSOFT_365 = 'microsoft-365',
  /** Google Workspace (Gmail). */
  GOOGLE_WORKSPACE = 'google-workspace',
  /** GOV.UK Notify. */
  GOV_UK_NOTIFY = 'gov-uk-notify',
  /** A service described by the caller. */
  CUSTOM = 'custom',
}

/**
 * A DKIM record a sender needs at `<selector>._domainkey.<domain>`.
 */
export interface SenderDkimRecord {
  /** The selector, for example `selector1`. */
  readonly selector: string;
  /** CNAME to the service's key, or TXT holding the key. */
  readonly recordType: DkimRecordType;
  /** The CNAME target, or the TXT key record text. */
  readonly value: string;
}

/**
 * Options for `Sender.amazonSes()`.
 */
export interface AmazonSesSenderOptions {
  /**
   * The SES region the identity lives in. Its MAIL FROM MX host is
   * `feedback-smtp.<region>.amazonses.com`. The constructs create the identity in the region of
   * the stack that holds the domain, so a region given here must be that region, or synth fails
   * (`SES-REGION`): it states where sending happens, and catches a stack moved to another region.
   * A value that is not a region name (`eu-west-2`) fails synth too (`SES-REGION`).
   *
   * @default - the region of the stack the domain is in
   */
  readonly region?: string;
  /**
   * The custom MAIL FROM subdomain, as a label under the sending domain.
   *
   * A custom MAIL FROM domain makes SPF align with the From domain, so DMARC can pass on SPF
   * as well as DKIM. One or more labels of letters, digits and inner hyphens; anything else fails
   * synth in the construct that receives the sender (`SES-MAIL-FROM-DOMAIN`).
   *
   * @default 'mail'
   */
  readonly mailFromSubdomain?: string;
}

/**
 * Options for `Sender.microsoft365()`.
 */
export interface Microsoft365SenderOptions {
  /**
   * The MX host the tenant gives for this domain.
   *
   * Tenants created since 2024 get `<domain>.<random>.mx.microsoft` (DNSSEC-capable): copy it
   * from the Microsoft 365 admin centre.
   *
   * @default - `<domain with dots as dashes>.mail.protection.outlook.com`
   */
  readonly mx?: string;
  /**
   * The two DKIM CNAME targets the tenant shows for `selector1` and `selector2`, in that order.
   * Any other number fails synth in the construct that receives the sender
   * (`SENDER-DKIM-TARGETS`), as does giving neither this nor `initialDomain`.
   *
   * @default - derived from `initialDomain` in the classic form
   * `selectorN-<domain with dots as dashes>._domainkey.<initialDomain>`
   */
  readonly dkimTargets?: string[];
  /**
   * The tenant's initial domain, for example `dept.onmicrosoft.com`. Needed when
   * `dkimTargets` is not given. A name that is not a domain name of two labels or more (`dept`)
   * fails synth (`DNS-NAME-SYNTAX`).
   *
   * @default - none; then `dkimTargets` is required
   */
  readonly initialDomain?: string;
}

/**
 * Options for `Sender.googleWorkspace()`.
 */
export interface GoogleWorkspaceSenderOptions {
  /**
   * The DKIM key record the Google Admin console generates (`v=DKIM1; k=rsa; p=...`).
   * Google does not publish the key for you, so without it no DKIM record is created
   * and the domain's checks warn that DKIM is missing.
   *
   * @default - no DKIM record
   */
  readonly dkimRecord?: string;
  /**
   * The DKIM selector chosen in the Admin console.
   *
   * @default 'google'
   */
  readonly dkimSelector?: string;
  /**
   * Use the legacy five-host MX set (`aspmx.l.google.com` and `alt1`–`alt4`) instead of
   * `smtp.google.com`.
   *
   * @default false
   */
  readonly legacyMx?: boolean;
}

/**
 * Options for `Sender.custom()`.
 */
export interface CustomSenderOptions {
  /** A name for the service, used in messages: an empty or blank name fails synth (`SENDER-NAME`). */
  readonly name: string;
  /**
   * SPF includes the service needs at the apex, each with its lookup cost: `lookups` (and
   * `voidLookups`, when given) are whole numbers, 0 or more, or synth fails
   * (`SENDER-SPF-INCLUDE-COST`).
   *
   * @default - none
   */
  readonly spfIncludes?: SpfIncludeCost[];
  /**
   * Other SPF mechanisms the service needs at the apex, as written (`ip4:192.0.2.0/24`).
   *
   * @default - none
   */
  readonly spfMechanisms?: string[];
  /**
   * DKIM records the service needs.
   *
   * @default - none
   */
  readonly dkim?: SenderDkimRecord[];
  /**
   * MX records, when the service receives the domain's mail.
   *
   * @default - none: the service only sends
   */
  readonly mx?: MxModel[];
  /**
   * MTA-STS `mx` patterns that cover the service's MX hosts.
   *
   * @default - the MX hosts themselves
   */
  readonly mtaStsMx?: string[];
}

/**
 * The SES identity a sender needs for a domain.
 */
export interface SenderSesIdentityConfig {
  /** The MAIL FROM subdomain, relative to the domain (`mail` gives `mail.<domain>`). */
  readonly mailFromSubdomain: string;
  /**
   * The region the sender was told to send from; it must be the region of the stack that
   * creates the identity.
   *
   * @default - the stack's region
   */
  readonly region?: string;
}

/**
 * What a sender needs in one domain's DNS and in SES, as plain data: what `Sender.bind` gives
 * the construct that publishes the domain.
 */
export interface SenderConfig {
  /** The service's name, for messages. */
  readonly name: string;
  /** Which service this is. */
  readonly kind: SenderKind;
  /** SPF includes at the apex, with their lookup costs. */
  readonly spfIncludes: SpfIncludeCost[];
  /** Other SPF mechanisms at the apex, as written. */
  readonly spfMechanisms: string[];
  /** MX records; empty when the service does not receive the domain's mail. */
  readonly mx: MxModel[];
  /** DKIM records under the domain. */
  readonly dkim: SenderDkimRecord[];
  /** MTA-STS `mx` patterns covering the service's MX hosts. */
  readonly mtaStsMx: string[];
  /**
   * The SES identity to create, for a sender that sends through Amazon SES.
   *
   * @default - no SES identity
   */
  readonly sesIdentity?: SenderSesIdentityConfig;
}

/**
 * A mail service that sends (and perhaps receives) mail for a domain, and what it needs in DNS.
 *
 * Values come from each provider's documentation (checked November 2026): verify them against
 * your tenant before release, and supply the tenant-specific ones.
 */
export abstract class Sender {
  /**
   * Amazon SES: `include:amazonses.com` on the MAIL FROM subdomain (not the apex), Easy DKIM
   * CNAMEs from the identity, and MAIL FROM MX `feedback-smtp.<region>.amazonses.com`.
   */
  public static amazonSes(options: AmazonSesSenderOptions = {}): Sender {
    return new AmazonSesSender(options);
  }

  /**
   * Microsoft 365 (Exchange Online): `include:spf.protection.outlook.com`, MX to Exchange Online
   * Protection, DKIM CNAMEs `selector1` and `selector2` to the tenant.
   */
  public static microsoft365(options: Microsoft365SenderOptions): Sender {
    return new Microsoft365Sender(options);
  }

  /**
   * Google Workspace: `include:_spf.google.com`, MX `1 smtp.google.com`, DKIM TXT key at the
   * Admin console's selector.
   */
  public static googleWorkspace(options: GoogleWorkspaceSenderOptions = {}): Sender {
    return new GoogleWorkspaceSender(options);
  }

  /**
   * GOV.UK Notify: sends from its own domain, so it needs nothing in the department's DNS.
   */
  public static govUkNotify(): Sender {
    return new CustomSender(SenderKind.GOV_UK_NOTIFY, { name: 'GOV.UK Notify' });
  }

  /**
   * A service described by the caller, in the same shape as the catalogue's.
   *
   * Like every factory here, it records a problem with its options (rule id, value, what is
   * allowed) rather than throwing: the construct that receives the sender reports it with its
   * own path.
   */
  public static custom(options: CustomSenderOptions): Sender {
    return new CustomSender(SenderKind.CUSTOM, options);
  }

  /**
   * The problems with the options the sender was made with, reported by the construct that
   * receives it (its path, the rule id, the value and what is allowed).
   * @internal
   */
  public readonly _problems: SenderProblem[] = [];

  /** The service's name, for messages. */
  public abstract readonly name: string;
  /** Which service this is. */
  public abstract readonly kind: SenderKind;
  /** SPF includes the service needs at the apex of the domain, with their lookup costs. */
  public abstract readonly spfIncludes: SpfIncludeCost[];
  /** Other SPF mechanisms the service needs at the apex, as written. */
  public abstract readonly spfMechanisms: string[];
  /**
   * True when DKIM and MAIL FROM records come from an Amazon SES identity's attributes at
   * deploy time rather than from this catalogue.
   */
  public abstract readonly usesSesIdentity: boolean;

  /** The MX records the service needs for `domainName`; empty when it does not receive mail. */
  public abstract mxRecords(domainName: string): MxModel[];
  /** The DKIM records the service needs under `domainName`. */
  public abstract dkimRecords(domainName: string): SenderDkimRecord[];
  /** MTA-STS `mx` patterns covering the service's MX hosts for `domainName`. */
  public abstract mtaStsMx(domainName: string): string[];

  /** True when the service receives mail for the domain (it has MX records). */
  public receivesMail(domainName: string): boolean {
    return this.mxRecords(domainName).length > 0;
  }

  /** What the service needs for `domainName`, as plain data. */
  public bind(domainName: string): SenderConfig {
    const ses = this.sesIdentityConfig();
    return {
      name: this.name,
      kind: this.kind,
      spfIncludes: [...this.spfIncludes],
      spfMechanisms: [...this.spfMechanisms],
      mx: this.mxRecords(domainName),
      dkim: this.dkimRecords(domainName),
      mtaStsMx: this.mtaStsMx(domainName),
      ...(ses === undefined ? {} : { sesIdentity: ses }),
    };
  }

  /** The SES identity the service needs; undefined for a service that is not SES. */
  protected sesIdentityConfig(): SenderSesIdentityConfig | undefined {
    return undefined;
  }
}

/** Lookup costs of the catalogue's SPF includes: the lookups their own records make. @internal */
export const SPF_COSTS = {
  // v=spf1 ip4:... -all: no nested lookups.
  amazonSes: { domain: 'amazonses.com', lookups: 0 },
  // v=spf1 ip4:... include:spfd.protection.outlook.com -all.
  microsoft365: { domain: 'spf.protection.outlook.com', lookups: 1 },
  // v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all.
  googleWorkspace: { domain: '_spf.google.com', lookups: 3 },
} satisfies Record<string, SpfIncludeCost>;

class AmazonSesSender extends Sender {
  public readonly name = 'Amazon SES';
  public readonly kind = SenderKind.AMAZON_SES;
  // The include belongs on the MAIL FROM subdomain; the apex needs none for SES.
  public readonly spfIncludes: SpfIncludeCost[] = [];
  public readonly spfMechanisms: string[] = [];
  public readonly usesSesIdentity = true;
  public readonly mailFromSubdomain: string;
  public readonly region?: string;

  constructor(options: AmazonSesSenderOptions) {
    super();
    this.mailFromSubdomain = options.mailFromSubdomain ?? 'mail';
    this.region = options.region;
    // Tokens are checked where they resolve (SesSendingIdentity, GovEmailDomain).
    if (!isToken(this.mailFromSubdomain) && !this.mailFromSubdomain.split('.').every((l) => LDH_LABEL.test(l))) {
      this._problems.push({
        ruleId: SES_RULES.mailFromDomain.id,
        value: this.mailFromSubdomain,
        allowed: 'a Sender.amazonSes() mailFromSubdomain of one or more labels of letters, digits and inner hyphens under the sending domain, such as "mail" or "bounce.mail"',
      });
    }
    if (this.region !== undefined && !isToken(this.region) && !REGION.test(this.region)) {
      this._problems.push({
        ruleId: SES_RULES.region.id,
        value: this.region,
        allowed: 'a Sender.amazonSes() region that is an AWS region name such as eu-west-2 (the stack\'s region), or no region',
        what: 'An SES identity is created in an AWS region, named like eu-west-2, and its MAIL FROM MX host names that region.',
      });
    }
  }

  protected sesIdentityConfig(): SenderSesIdentityConfig {
    return { mailFromSubdomain: this.mailFromSubdomain, ...(this.region === undefined ? {} : { region: this.region }) };
  }

  public mxRecords(): MxModel[] {
    return [];
  }

  public dkimRecords(): SenderDkimRecord[] {
    // Easy DKIM tokens exist only once the identity is created: the constructs read them from
    // the identity's attributes, never from a hard-coded SES host.
    return [];
  }

  public mtaStsMx(): string[] {
    return [];
  }
}

/**
 * The SPF include and MAIL FROM MX an SES identity's custom MAIL FROM domain needs.
 */
export class AmazonSesMailFrom {
  /** The SPF include for the MAIL FROM domain, with its lookup cost. */
  public static readonly SPF_INCLUDE: SpfIncludeCost = SPF_COSTS.amazonSes;

  /** The MAIL FROM MX host for an SES region: `feedback-smtp.<region>.amazonses.com`. */
  public static mxHost(region: string): string {
    return `feedback-smtp.${region}.amazonses.com`;
  }

  /** The MAIL FROM SPF record text. */
  public static spfRecord(): string {
    return `v=spf1 include:${SPF_COSTS.amazonSes.domain} -all`;
  }

  private constructor() {}
}

class Microsoft365Sender extends Sender {
  public readonly name = 'Microsoft 365';
  public readonly kind = SenderKind.MICROSOFT_365;
  public readonly spfIncludes: SpfIncludeCost[] = [SPF_COSTS.microsoft365];
  public readonly spfMechanisms: string[] = [];
  public readonly usesSesIdentity = false;

  constructor(private readonly options: Microsoft365SenderOptions) {
    super();
    if (options.dkimTargets !== undefined && options.dkimTargets.length !== 2) {
      this._problems.push({
        ruleId: SENDER_RULES.dkimTargets.id,
        value: options.dkimTargets,
        allowed: 'Sender.microsoft365() dkimTargets holding exactly 2 targets, selector1\'s then selector2\'s, as the Microsoft Defender portal shows them',
      });
    }
    if (options.dkimTargets === undefined && options.initialDomain === undefined) {
      this._problems.push({
        ruleId: SENDER_RULES.dkimTargets.id,
        value: 'neither dkimTargets nor initialDomain',
        allowed: 'Sender.microsoft365() with dkimTargets (from the Microsoft Defender portal) or initialDomain (such as dept.onmicrosoft.com), so the DKIM CNAMEs can be published',
      });
    }
    const initial = options.initialDomain;
    if (initial !== undefined && !isToken(initial) && !isHostname(initial.replace(/\.$/, ''))) {
      this._problems.push({
        ruleId: CONSTRUCT_RULES.dnsName.id,
        value: initial,
        allowed: 'a Sender.microsoft365() initialDomain that is the tenant\'s initial domain name, such as dept.onmicrosoft.com',
      });
    }
  }

  public mxRecords(domainName: string): MxModel[] {
    return [{ preference: 0, exchange: this.mxHost(domainName) }];
  }

  public dkimRecords(domainName: string): SenderDkimRecord[] {
    const targets = this.options.dkimTargets
      ?? [1, 2].map((n) => `selector${n}-${dashed(domainName)}._domainkey.${this.options.initialDomain}`);
    return targets.map((value, i) => ({ selector: `selector${i + 1}`, recordType: DkimRecordType.CNAME, value }));
  }

  public mtaStsMx(domainName: string): string[] {
    const host = this.mxHost(domainName);
    // Exchange Online documents the wildcard for its protection hosts; a new-style
    // mx.microsoft host is listed as it is.
    return host.endsWith('.mail.protection.outlook.com') ? ['*.mail.protection.outlook.com'] : [host];
  }

  private mxHost(domainName: string): string {
    return this.options.mx ?? `${dashed(domainName)}.mail.protection.outlook.com`;
  }
}

class GoogleWorkspaceSender extends Sender {
  public readonly name = 'Google Workspace';
  public readonly kind = SenderKind.GOOGLE_WORKSPACE;
  public readonly spfIncludes: SpfIncludeCost[] = [SPF_COSTS.googleWorkspace];
  public readonly spfMechanisms: string[] = [];
  public readonly usesSesIdentity = false;

  constructor(private readonly options: GoogleWorkspaceSenderOptions) {
    super();
  }

  public mxRecords(): MxModel[] {
    if (this.options.legacyMx) {
      return [
        { preference: 1, exchange: 'aspmx.l.google.com' },
        { preference: 5, exchange: 'alt1.aspmx.l.google.com' },
        { preference: 5, exchange: 'alt2.aspmx.l.google.com' },
        { preference: 10, exchange: 'alt3.aspmx.l.google.com' },
        { preference: 10, exchange: 'alt4.aspmx.l.google.com' },
      ];
    }
    return [{ preference: 1, exchange: 'smtp.google.com' }];
  }

  public dkimRecords(): SenderDkimRecord[] {
    if (this.options.dkimRecord === undefined) {
      return [];
    }
    return [{ selector: this.options.dkimSelector ?? 'google', recordType: DkimRecordType.TXT, value: this.options.dkimRecord }];
  }

  public mtaStsMx(): string[] {
    // `*.aspmx.l.google.com` does not cover `aspmx.l.google.com` (RFC 8461 §4.1): list both.
    return this.options.legacyMx ? ['aspmx.l.google.com', '*.aspmx.l.google.com'] : ['smtp.google.com'];
  }
}

class CustomSender extends Sender {
  public readonly name: string;
  public readonly spfIncludes: SpfIncludeCost[];
  public readonly spfMechanisms: string[];
  public readonly usesSesIdentity = false;

  constructor(public readonly kind: SenderKind, private readonly options: CustomSenderOptions) {
    super();
    this.name = options.name;
    this.spfIncludes = options.spfIncludes ?? [];
    this.spfMechanisms = options.spfMechanisms ?? [];
    if (typeof options.name !== 'string' || (!isToken(options.name) && options.name.trim() === '')) {
      this._problems.push({ ruleId: SENDER_RULES.name.id, value: options.name ?? '', allowed: 'a Sender.custom() name such as "Payroll relay"' });
    }
    this._problems.push(...includeCostProblems(this.spfIncludes, 'Sender.custom() spfIncludes'));
  }

  public mxRecords(): MxModel[] {
    return this.options.mx ?? [];
  }

  public dkimRecords(): SenderDkimRecord[] {
    return this.options.dkim ?? [];
  }

  public mtaStsMx(): string[] {
    return this.options.mtaStsMx ?? this.mxRecords().map((mx) => mx.exchange.replace(/\.$/, ''));
  }
}

function isToken(value: string): boolean {
  // A CDK token (`${Token[...]}`), without importing aws-cdk-lib into the catalogue.
  return value.includes('${Token[');
}

function dashed(domainName: string): string {
  return domainName.replace(/\.$/, '').toLowerCase().replace(/\./g, '-');
}
