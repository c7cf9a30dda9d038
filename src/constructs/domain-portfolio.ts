import { CfnResource, Environment, Stack, Stage, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { ParkedDmarc } from './central-dmarc-policy';
import { GovEmailDomain, GovEmailDomainOptions, MtaStsPolicyOptions } from './gov-email-domain';
import { MtaStsPolicyHost, MtaStsPolicyHostProps } from './mta-sts-policy-host';
import { ParkedDomain, ParkedDomainOptions } from './parked-domain';
import { invalidInput } from './private/annotations';
import { PortfolioBuildContext } from './private/portfolio-build';
import { PolicyHostLayout } from './private/portfolio-host-layout';
import { DISTRIBUTIONS_PER_HOST_STACK, distributionOf, hostStackId, hostStackOf, shardId, shardOf } from './private/portfolio-shards';
import { PortfolioZone } from './private/portfolio-zone';
import { normaliseDomainName } from '../records/private/names';
import { isHostname } from '../records/private/uri';
import type { ReportInbox } from '../report-inbox/report-inbox';
import { Senders } from '../senders/sender-set';
import { CONSTRUCT_RULES, MTASTS_HOST_RULES, PORTFOLIO_RULES, RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';

/** The context key of `App({ stackTraces: false })` (aws-cdk-lib cx-api `DISABLE_METADATA_STACK_TRACE`). */
const DISABLE_METADATA_STACK_TRACE = 'aws:cdk:disable-stack-trace';
/** The context key that stops aws-cdk-lib recording where each resource was created (cx-api `DISABLE_CREATION_STACK_TRACES`). */
const DISABLE_CREATION_STACK_TRACES = 'aws:cdk:disable-creation-stack-traces';
/** CloudFront takes its certificates from ACM in this region only, so the MTA-STS host is there. */
const MTA_STS_HOST_REGION = 'us-east-1';
/** CloudFormation's quota of resources per stack. */
const CLOUDFORMATION_MAX_RESOURCES = 500;
/** The largest `shardCount`, and the largest stack number a domain may be pinned to. */
const MAX_SHARD_COUNT = 100;
const MAX_STACK_NUMBER = 999;
/** CloudFront's default quota of distributions an account: the largest `mtaStsDistributionCount`. */
const MAX_DISTRIBUTION_COUNT = 200;
/** The largest distribution number a receiving domain may be pinned to. */
const MAX_DISTRIBUTION_NUMBER = 999;
/** CloudFormation's limit on a template's size (uploaded through S3, as `cdk deploy` does). */
const CLOUDFORMATION_MAX_TEMPLATE_BYTES = 1024 * 1024;
/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * Where a domain of a `DomainPortfolio` is published, and in which stack.
 */
export interface PortfolioDomainOptions {
  /**
   * The domain, for example `old-dept.gov.uk`: the zone's own name or a name under it.
   */
  readonly domainName: string;

  /**
   * The id of the Route 53 hosted zone that holds the domain's records, for example
   * `Z0123456789ABCDEFGHIJ`. The zone is imported by id and name: no lookup, so `cdk synth`
   * needs no AWS credentials.
   */
  readonly hostedZoneId: string;

  /**
   * The hosted zone's name.
   *
   * @default - the domain name (the domain is its zone's apex)
   */
  readonly zoneName?: string;

  /**
   * Pin the domain to a stack by number, instead of the stack the sharding rule gives it: any
   * whole number from 1 to 999. Numbers above the portfolio's `shardCount` make stacks that
   * hold pinned domains only. Use it when a stack is full (`PORTFOLIO-STACK-RESOURCES`), for
   * domains not yet deployed, or to keep a domain where it already is.
   *
   * @default - the stack `DomainPortfolio.shardOf(domainName, shardCount)` gives
   */
  readonly stack?: number;
}

/**
 * A domain that sends and receives no mail, locked down as `ParkedDomain` does: where it is
 * published, and the `ParkedDomain` options.
 */
export interface PortfolioParkedDomainOptions extends PortfolioDomainOptions, ParkedDomainOptions {
  /**
   * Where DMARC aggregate reports go (`rua`): one or two `mailto:` URIs, as
   * `ParkedDomainProps.dmarcReportTo`, for a domain that publishes its own DMARC record. Not given
   * for a domain whose `_dmarc` is a CNAME to a central policy (its `dmarc`, or the portfolio's
   * `parkedDmarc`): `DMARC-CENTRAL-OPTIONS` otherwise.
   *
   * @default - the portfolio's `dmarcReportTo`
   */
  readonly dmarcReportTo?: string[];
}

/**
 * MTA-STS for a sending domain of a portfolio that receives mail: whether to publish it, and the
 * policy. The policy is served by the portfolio's `MtaStsPolicyHost`, in its us-east-1 stack.
 */
export interface PortfolioMtaStsOptions extends MtaStsPolicyOptions {
  /**
   * Publish MTA-STS. `false` leaves it out, which raises the `cdk-gov-email:GOVUK-MTASTS-MISSING`
   * warning for a domain that receives mail.
   *
   * @default true
   */
  readonly publish?: boolean;

  /**
   * Pin the domain's policy to a distribution of the portfolio's MTA-STS host by number,
   * instead of the distribution the rule gives it: any whole number from 1 to 999. Numbers above
   * the portfolio's `mtaStsDistributionCount` make distributions that serve pinned domains only.
   * Use it when a distribution is full (`MTASTS-HOST-SHARD-SIZE`), for domains not yet deployed,
   * or to keep a domain where it already is.
   *
   * @default - the distribution `DomainPortfolio.mtaStsDistributionOf(domainName, mtaStsDistributionCount)` gives
   */
  readonly distribution?: number;
}

/**
 * A domain that sends (and perhaps receives) mail, set up as `GovEmailDomain` does: where it is
 * published, the `GovEmailDomain` options, and MTA-STS on the portfolio's policy host.
 */
export interface PortfolioSendingDomainOptions extends PortfolioDomainOptions, GovEmailDomainOptions {
  /**
   * MTA-STS, for a domain that receives mail (a sender has MX records): the policy is served by
   * the portfolio's `MtaStsPolicyHost`. Ignored for a domain that receives no mail.
   *
   * @default - MTA-STS in enforce mode, max_age 2 weeks, for a domain that receives mail
   */
  readonly mtaSts?: PortfolioMtaStsOptions;
}

/**
 * What a domain of a portfolio is.
 */
export enum PortfolioDomainKind {
  /** Sends and receives no mail: a `ParkedDomain`. */
  PARKED = 'parked',
  /** Sends (and perhaps receives) mail: a `GovEmailDomain`. */
  SENDING = 'sending',
}

/**
 * One domain of a `DomainPortfolio`: parked or sending, with its hosted zone.
 *
 * ```ts
 * PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
 * PortfolioDomain.sending({ domainName: 'dept.gov.uk', hostedZoneId: 'Z0DEPT00000000000001', senders, dmarc, tlsReportTo });
 * ```
 */
export abstract class PortfolioDomain {
  /**
   * A domain that sends and receives no mail: one `ParkedDomain`, one CloudFormation resource.
   */
  public static parked(options: PortfolioParkedDomainOptions): PortfolioDomain {
    return new ParkedPortfolioDomain(options);
  }

  /**
   * A domain that sends mail: one `GovEmailDomain` and, when it receives mail, its MTA-STS
   * policy on the portfolio's policy host.
   */
  public static sending(options: PortfolioSendingDomainOptions): PortfolioDomain {
    return new SendingPortfolioDomain(options);
  }

  /** The domain name as given. */
  public abstract readonly domainName: string;

  /** Parked or sending. */
  public abstract readonly kind: PortfolioDomainKind;

  /** Where the domain is published. @internal */
  public abstract readonly _where: PortfolioDomainOptions;

  /**
   * Whether the portfolio's MTA-STS host serves the domain's policy, and the distribution it is
   * pinned to if any: `undefined` when it serves none, 0 when it serves one not pinned.
   * @internal
   */
  public abstract _mtaStsPin(): number | undefined;

  /**
   * Build the domain's construct in its stack.
   * @internal
   */
  public abstract _build(scope: Construct, id: string, zone: route53.IHostedZone, context: PortfolioBuildContext): Construct;
}

class ParkedPortfolioDomain extends PortfolioDomain {
  public readonly kind = PortfolioDomainKind.PARKED;
  public readonly domainName: string;
  public readonly _where: PortfolioDomainOptions;

  constructor(private readonly options: PortfolioParkedDomainOptions) {
    super();
    this.domainName = options.domainName;
    this._where = options;
  }

  public _mtaStsPin(): number | undefined {
    return undefined;
  }

  public _build(scope: Construct, id: string, zone: route53.IHostedZone, context: PortfolioBuildContext): Construct {
    const dmarc = this.options.dmarc ?? context.parkedDmarc;
    if (dmarc?._centralPolicy() !== undefined) {
      // `_dmarc` is a CNAME to the central record, which names the report destinations: a
      // dmarcReportTo of the domain's own is refused by ParkedDomain (DMARC-CENTRAL-OPTIONS).
      return new ParkedDomain(scope, id, {
        zone,
        domainName: this.options.domainName,
        dmarc,
        dmarcReportTo: this.options.dmarcReportTo,
        tlsReportTo: this.options.tlsReportTo,
        caa: this.options.caa,
        additionalApexTxt: this.options.additionalApexTxt,
        ttl: this.options.ttl,
      });
    }
    const dmarcReportTo = this.options.dmarcReportTo ?? context.dmarcReportTo;
    if (dmarcReportTo === undefined) {
      throw invalidInput(context.portfolio, PORTFOLIO_RULES.domainOptions.id, this.domainName,
        'a parked domain with dmarcReportTo, or a portfolio whose dmarcReportTo gives the report destinations of its parked domains',
        'A parked domain publishes DMARC with aggregate reports, so it needs a report destination.');
    }
    return new ParkedDomain(scope, id, {
      zone,
      domainName: this.options.domainName,
      dmarcReportTo,
      tlsReportTo: this.options.tlsReportTo,
      caa: this.options.caa,
      additionalApexTxt: this.options.additionalApexTxt,
      ttl: this.options.ttl,
    });
  }
}

class SendingPortfolioDomain extends PortfolioDomain {
  public readonly kind = PortfolioDomainKind.SENDING;
  public readonly domainName: string;
  public readonly _where: PortfolioDomainOptions;

  constructor(private readonly options: PortfolioSendingDomainOptions) {
    super();
    this.domainName = options.domainName;
    this._where = options;
  }

  public _mtaStsPin(): number | undefined {
    const o = this.options;
    return this.receivesMail() && (o.mtaSts?.publish ?? true) ? o.mtaSts?.distribution ?? 0 : undefined;
  }

  /** Whether a sender receives the domain's mail (it has MX records). */
  private receivesMail(): boolean {
    return Senders.mxRecords(this.options.senders, normaliseDomainName(this.options.domainName)).length > 0;
  }

  public _build(scope: Construct, id: string, zone: route53.IHostedZone, context: PortfolioBuildContext): Construct {
    const o = this.options;
    const mtaSts = this._mtaStsPin() !== undefined
      ? { host: context.mtaStsHost(), mode: o.mtaSts?.mode, maxAge: o.mtaSts?.maxAge, additionalMx: o.mtaSts?.additionalMx }
      : undefined;
    return new GovEmailDomain(scope, id, {
      zone,
      domainName: o.domainName,
      senders: o.senders,
      dmarc: o.dmarc,
      tlsReportTo: o.tlsReportTo ?? (this.receivesMail() ? context.tlsReportTo : undefined),
      mtaSts,
      // `publish: false` is the explicit choice to go without, for now.
      allowMissingMtaSts: o.mtaSts?.publish === false,
      additionalApexTxt: o.additionalApexTxt,
      spf: o.spf,
      ses: o.ses,
      ttl: o.ttl,
    });
  }
}

/**
 * Properties of a `DomainPortfolio`.
 */
export interface DomainPortfolioProps {
  /**
   * The domains, each `PortfolioDomain.parked(...)` or `PortfolioDomain.sending(...)`, in any
   * order: the order decides neither a domain's stack nor the MTA-STS distribution that serves
   * its policy.
   */
  readonly domains: PortfolioDomain[];

  /**
   * How many stacks the domains are spread over, by a hash of each domain's name (see
   * `DomainPortfolio`). Choose it once, for the largest estate you expect: changing it moves
   * most domains to another stack. Each stack holds up to `maxResourcesPerStack` resources:
   * with the default 400, about 350 parked domains per stack allowing for the hash's unevenness
   * (4 stacks: about 1,400 parked domains; 10: about 3,500; 16: about 5,600).
   *
   * @default 4
   */
  readonly shardCount?: number;

  /**
   * The most CloudFormation resources a stack of the portfolio may hold, 1 to 500. Synth fails
   * (`PORTFOLIO-STACK-RESOURCES`) when a stack would hold more, naming what to do.
   *
   * @default 400 (headroom under CloudFormation's 500)
   */
  readonly maxResourcesPerStack?: number;

  /**
   * The account and region of the domains' stacks. The MTA-STS host's stack is in the same
   * account and in us-east-1, where CloudFront takes its certificates from.
   *
   * @default - environment-agnostic domain stacks; the host stack in us-east-1 of the account deployed to
   */
  readonly env?: Environment;

  /**
   * The start of the stacks' CloudFormation names: `<prefix>-Shard01`, `<prefix>-Shard02`, …,
   * and `<prefix>-MtaSts` for the policy host.
   *
   * @default - the portfolio's id, after the stage's name when it is in a Stage
   */
  readonly stackNamePrefix?: string;

  /**
   * Where the parked domains' DMARC aggregate reports go, for those that do not give their own
   * and publish their own DMARC record.
   *
   * @default - each parked domain gives its own `dmarcReportTo`
   */
  readonly dmarcReportTo?: string[];

  /**
   * Where the parked domains get their DMARC policy, for those that do not give their own `dmarc`:
   * `ParkedDmarc.central(policy)` makes every parked domain's `_dmarc` a CNAME to one central
   * policy record (a `CentralDmarcPolicy`, which may be in any stack of the app), so a change of
   * report address is one record change, not one per domain. A domain keeps a record of its own
   * with `dmarc: ParkedDmarc.ownRecord()` (and `dmarcReportTo`, its own or the portfolio's).
   * Sending domains publish their own DMARC record (`dmarc` of `GovEmailDomain`) whatever this
   * says. Switching deployed domains deploys in one step; see `ParkedDomainOptions.dmarc`.
   *
   * @default ParkedDmarc.ownRecord(): each parked domain publishes its own DMARC record
   */
  readonly parkedDmarc?: ParkedDmarc;

  /**
   * The app's report inbox, which takes the reports of every domain of the portfolio. Each
   * domain is added to it (`ReportInbox.addDomain`: sending domains as sending mail, parked
   * domains as sending none, so only a sending domain whose reports stop raises the inbox's
   * silent-domains alarm), before its records are built, unless the inbox lists it already. A
   * parked domain with no `dmarcReportTo` of its own or the portfolio's sends its DMARC reports to
   * the inbox's `dmarcAddress`; a sending domain that receives mail and gives no `tlsReportTo`
   * sends its TLS reports to the inbox's `tlsReportAddress`. A sending domain names its DMARC
   * report destinations in its `dmarc` options, which may be the inbox's `dmarcAddress`.
   *
   * The inbox may be in any stack of the app: its addresses are plain names, so no stack refers
   * to another.
   *
   * @default - no inbox: reports go where the domains and the portfolio say
   */
  readonly reportInbox?: ReportInbox;

  /**
   * Options of the `MtaStsPolicyHost` that serves the MTA-STS policies of the sending domains
   * that receive mail.
   *
   * @default - the host's defaults: 100 domains per distribution, TLSv1.2_2021, price class 100
   */
  readonly mtaStsHost?: MtaStsPolicyHostProps;

  /**
   * How many CloudFront distributions of the MTA-STS host the receiving domains are spread over,
   * by a hash of each domain's name (see `DomainPortfolio`), 1 to 200. Choose it once, as
   * `shardCount`: changing it moves most receiving domains to another distribution. Each serves
   * up to `domainsPerDistribution` (default 100) domains: allowing for the hash's unevenness,
   * about 75 a distribution without pins (40 distributions: about 3,000 receiving domains), or
   * exactly 100 a distribution when the domains that overflow are pinned (`mtaSts.distribution`)
   * to those with room.
   *
   * @default 1 (every receiving domain on distribution 1, as a portfolio of up to 100 receiving domains always was)
   */
  readonly mtaStsDistributionCount?: number;
}

/**
 * Many email domains, parked or sending, spread over as many CloudFormation stacks as they need,
 * each well under CloudFormation's quotas, with the MTA-STS policies of the receiving domains
 * served from as many us-east-1 stacks as their CloudFront distributions need.
 *
 * ```ts
 * const app = new App();
 * new DomainPortfolio(app, 'Estate', {
 *   env: { account: '111111111111', region: 'eu-west-2' },
 *   shardCount: 10,
 *   dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'],
 *   domains: rows.map((r) => PortfolioDomain.parked({ domainName: r.domain, hostedZoneId: r.zoneId })),
 * });
 * ```
 *
 * ## Which stack a domain goes to
 *
 * A domain goes to stack number `(first 4 bytes of SHA-256(domain name), unsigned big-endian)
 * mod shardCount + 1` (`DomainPortfolio.shardOf`), the name taken in lower case without a trailing
 * dot, unless it is pinned to a stack with `stack`. Its stack depends on its own name and on
 * `shardCount` only: adding or removing a domain, or reordering the list, never moves another
 * domain, so CloudFormation never deletes and re-creates a domain's records. The construct id of
 * each domain is its name, so its logical ids are the same whichever stack holds it. Stacks are
 * `<prefix>-Shard01` … (only those that hold a domain are created) and `<prefix>-MtaSts`.
 *
 * `shardCount` is chosen once: changing it moves most domains, and a move fails (the new stack
 * cannot create a record set while the old stack still holds it). When
 * a stack fills up, synth fails with `PORTFOLIO-STACK-RESOURCES`; pin the domains added since the
 * last deployment to a stack with room, or to a new stack number above `shardCount`.
 *
 * ## Which distribution serves a receiving domain's MTA-STS policy, from which stack
 *
 * The same rule, for the distributions of the portfolio's `MtaStsPolicyHost`: a receiving domain
 * is served by distribution `(bytes 4 to 7 of SHA-256(domain name), unsigned big-endian) mod
 * mtaStsDistributionCount + 1` (`DomainPortfolio.mtaStsDistributionOf`), unless it is pinned
 * with `mtaSts.distribution`. Distribution `n` is in host stack `ceil(n / 3)`: `<prefix>-MtaSts`
 * holds distributions 1 to 3, `<prefix>-MtaSts02` 4 to 6, and so on (only the stacks that hold
 * a distribution are created). So a domain's distribution, its host stack and the logical ids of
 * its alias records (`PolicyHostAliases<domain>…`) depend on its own name, `mtaStsDistributionCount`
 * and its pin only: adding, removing or reordering other domains never moves it, and a removed
 * domain leaves its place empty instead of shifting any other. Within a distribution the domains
 * are kept in name order, so reordering the list changes no template. The order of the list
 * decides nothing.
 *
 * A distribution serves at most `domainsPerDistribution` (default 100) domains (CloudFront's
 * alternate names, ACM's names per certificate). The rule is a hash, so distributions fill
 * unevenly: without pins, allow about 75 a distribution (`mtaStsDistributionCount: 40` for
 * 3,000 receiving domains). To fill every distribution to 100 (3,000 receiving domains on 30),
 * pin the domains a full distribution would take beyond 100 to those with room: synth fails
 * with `MTASTS-HOST-SHARD-SIZE` naming the distribution, the count that would fit without pins,
 * and the distributions with room. Once deployed, pin each new domain whose distribution is full
 * to one with room (a removed domain's place, for example) or to a new number above
 * `mtaStsDistributionCount`. With the default count of 1, every receiving domain is on
 * distribution 1 in `<prefix>-MtaSts`, under the logical ids a portfolio of up to 100 receiving
 * domains always had.
 *
 * The alias records stay in the host's stacks, beside their distribution, rather than in the
 * domains' own stacks: an alias record names the distribution's domain name
 * (`d111111abcdef8.cloudfront.net`), known only once it is deployed, so a record in a domain's
 * stack would need a CloudFormation export from the host stack, and, for domain stacks outside
 * us-east-1, CDK's cross-region references (SSM parameters read by a custom resource): exports
 * cannot be changed while imported, and cross-region references add a Lambda function and fail
 * when the parameter is out of date. From the host's stacks the records need only the zone id,
 * known at synth; each domain's stack waits for the host stacks that serve its domains (a stack
 * dependency, no export).
 *
 * ## What re-issues a certificate
 *
 * A distribution's certificate names every `mta-sts.<domain>` of the distribution, and an ACM
 * certificate's names cannot change: adding a domain to a distribution, or removing one,
 * replaces its certificate. CloudFormation requests the new certificate, ACM validates it by DNS
 * (the validation records of names already on the old certificate exist already, so usually
 * within minutes; a new domain's record is created in its zone, a few minutes more), the
 * distribution moves to it (a CloudFront deployment, typically 5 to 15 minutes) and the old
 * certificate is deleted. The other distributions are not touched. Changing
 * `mtaStsDistributionCount`, or pinning a deployed domain elsewhere, moves domains and
 * re-issues the certificates of every distribution they leave or join; a move also fails while
 * the old distribution still holds the name (CloudFront refuses an alias another distribution
 * holds), so move a domain in two deployments: remove it, then add it with its new pin.
 * (Upgrading a portfolio whose receiving domains were not listed in name order re-issues the
 * certificate of distribution 1 once, as its names are now kept in name order.)
 *
 * ## Limits
 *
 * - A parked domain is 1 resource (`ParkedDomain.RESOURCES_PER_DOMAIN`) and about 1.1 KB of
 *   template; a sending domain with SES 9 to 14. The 400-resource default keeps every template
 *   under about 450 KB, under half CloudFormation's 1 MB limit for templates uploaded through S3
 *   (which is how `cdk deploy` uploads them).
 * - An MTA-STS host stack holds 3 distributions, each 3 resources (function, certificate,
 *   distribution) and one alias record set group a domain: 309 resources and about 450 KB of
 *   template with 100 domains a distribution. Synth fails with `PORTFOLIO-STACK-RESOURCES` if a
 *   host stack would hold more than `maxResourcesPerStack` resources or a template of more than
 *   1 MB. A receiving domain is one resource in a host stack and 7 or more in its own stack
 *   (`GovEmailDomain` with Microsoft 365: 7). 3,000 receiving domains: 30 distributions in 10
 *   host stacks, and about 68 stacks of their own at 400 resources each.
 * - Account quotas (defaults) bound the number of distributions: 200 distributions, 100
 *   CloudFront Functions (raise it for more than 100 distributions).
 * - Route 53 takes 5 changes a second per account: the stacks of a large portfolio deploy best
 *   one or two at a time (`cdk deploy --concurrency 2`).
 */
export class DomainPortfolio extends Construct {
  /** The number of stacks the domains are spread over unless `shardCount` says otherwise. */
  public static readonly DEFAULT_SHARD_COUNT: number = 4;

  /** The most resources a stack holds unless `maxResourcesPerStack` says otherwise. */
  public static readonly DEFAULT_MAX_RESOURCES_PER_STACK: number = 400;

  /** How many distributions each us-east-1 stack of the MTA-STS host holds. */
  public static readonly MTA_STS_DISTRIBUTIONS_PER_STACK: number = DISTRIBUTIONS_PER_HOST_STACK;

  /**
   * The stack number (1 to `shardCount`) the sharding rule gives a domain: the first 4 bytes of
   * the SHA-256 of its name (lower case, no trailing dot), unsigned big-endian, modulo
   * `shardCount`, plus one.
   *
   * @param domainName the domain
   * @param shardCount the portfolio's `shardCount`
   */
  public static shardOf(domainName: string, shardCount: number): number {
    return shardOf(domainName, shardCount);
  }

  /**
   * The MTA-STS distribution number (1 to `mtaStsDistributionCount`) the rule gives a receiving
   * domain: bytes 4 to 7 of the SHA-256 of its name (lower case, no trailing dot), unsigned
   * big-endian, modulo `mtaStsDistributionCount`, plus one.
   *
   * @param domainName the domain
   * @param distributionCount the portfolio's `mtaStsDistributionCount`
   */
  public static mtaStsDistributionOf(domainName: string, distributionCount: number): number {
    return distributionOf(domainName, distributionCount);
  }

  /** How many stacks the domains are spread over by the sharding rule. */
  public readonly shardCount: number;

  /** The most resources a stack of the portfolio holds. */
  public readonly maxResourcesPerStack: number;

  /** How many distributions the receiving domains are spread over by the rule. */
  public readonly mtaStsDistributionCount: number;

  /** The MTA-STS policy host, when a sending domain receives mail. */
  public readonly mtaStsHost?: MtaStsPolicyHost;

  /**
   * The first us-east-1 stack of the MTA-STS policy host (`<prefix>-MtaSts`, distributions 1
   * to 3), when there is one.
   */
  public readonly mtaStsStack?: Stack;

  private readonly shardStacks = new Map<number, Stack>();
  private readonly hostStacks = new Map<number, Stack>();
  private readonly distributionPlan = new Map<string, number>();
  private readonly placed = new Map<string, { readonly stack: number; readonly construct: Construct; readonly kind: PortfolioDomainKind }>();
  private readonly prefix: string;
  private readonly env?: Environment;
  private hostStack?: Stack;
  private host?: MtaStsPolicyHost;

  constructor(scope: Construct, id: string, props: DomainPortfolioProps) {
    super(scope, id);
    if (scope.node.scopes.some((s) => Stack.isStack(s))) {
      throw invalidInput(this, PORTFOLIO_RULES.scope.id, `a scope inside the stack ${Stack.of(scope).node.path}`,
        'an App or a Stage: new DomainPortfolio(app, id, props)');
    }
    // A stack trace for each resource and annotation of thousands of domains, each the same path
    // through this constructor, costs more time than building the records: none are recorded in
    // the portfolio, unless the app set these keys itself or CDK_DEBUG asks for them.
    for (const key of [DISABLE_METADATA_STACK_TRACE, DISABLE_CREATION_STACK_TRACES]) {
      if (this.node.tryGetContext(key) === undefined && !process.env.CDK_DEBUG) {
        this.node.setContext(key, true);
      }
    }
    this.shardCount = this.checkShardCount(props.shardCount ?? DomainPortfolio.DEFAULT_SHARD_COUNT);
    this.maxResourcesPerStack = this.checkMaxResources(props.maxResourcesPerStack ?? DomainPortfolio.DEFAULT_MAX_RESOURCES_PER_STACK);
    this.mtaStsDistributionCount = this.checkDistributionCount(props.mtaStsDistributionCount ?? 1);
    this.prefix = this.checkPrefix(props.stackNamePrefix);
    this.env = props.env;

    // Every domain checked, and placed (in its stack, and on its distribution), before any is built.
    const plan = this.plan(props.domains);
    this.planDistributions(plan, props.mtaStsHost);

    // The inbox learns its domains before their records are built: a record reporting to it is
    // checked against its list when it is made.
    if (props.reportInbox !== undefined) {
      const listed = new Set(props.reportInbox.domains);
      for (const p of plan) {
        if (!listed.has(p.name)) props.reportInbox.addDomain(p.name, { sendsMail: p.domain.kind === PortfolioDomainKind.SENDING });
      }
    }

    const context: PortfolioBuildContext = {
      portfolio: this,
      dmarcReportTo: props.dmarcReportTo ?? (props.reportInbox === undefined ? undefined : [props.reportInbox.dmarcAddress]),
      tlsReportTo: props.reportInbox === undefined ? undefined : [props.reportInbox.tlsReportAddress],
      parkedDmarc: props.parkedDmarc,
      mtaStsHost: () => this.policyHost(props.mtaStsHost),
    };
    // Built in the order given, which decides nothing: each receiving domain's distribution is planned.
    const zones = new Map<Stack, Map<string, route53.IHostedZone>>();
    for (const p of plan) {
      const stack = this.shardStack(p.stack);
      let stackZones = zones.get(stack);
      if (stackZones === undefined) {
        stackZones = new Map();
        zones.set(stack, stackZones);
      }
      let zone = stackZones.get(p.hostedZoneId);
      if (zone === undefined) {
        const zonesScope = (stack.node.tryFindChild('Zones') as Construct | undefined) ?? new Construct(stack, 'Zones');
        zone = new PortfolioZone(zonesScope, p.hostedZoneId, { hostedZoneId: p.hostedZoneId, zoneName: p.zoneName });
        stackZones.set(p.hostedZoneId, zone);
      }
      const construct = p.domain._build(stack, p.name, zone, context);
      this.placed.set(p.name, { stack: p.stack, construct, kind: p.domain.kind });
    }
    this.mtaStsHost = this.host;
    this.mtaStsStack = this.hostStack;
    this.checkResources(plan);
  }

  /** The stacks that hold the domains, in order of their number. */
  public get stacks(): Stack[] {
    return [...this.shardStacks.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  }

  /**
   * The us-east-1 stacks of the MTA-STS policy host, in order of their number: `<prefix>-MtaSts`
   * (distributions 1 to 3), `<prefix>-MtaSts02` (4 to 6), …; only those that hold a distribution
   * (and the first, which holds the host).
   */
  public get mtaStsStacks(): Stack[] {
    return [...this.hostStacks.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  }

  /**
   * The number of the MTA-STS distribution that serves a receiving domain's policy.
   *
   * @param domainName a domain of the portfolio whose MTA-STS policy the portfolio's host serves
   */
  public mtaStsDistributionFor(domainName: string): number {
    const n = this.distributionPlan.get(normaliseDomainName(domainName));
    if (n === undefined) {
      throw new Error(`${this.node.path}: "${domainName}" is not a domain of this portfolio whose MTA-STS policy its host serves.`);
    }
    return n;
  }

  /** The domains, lower case, in the order given. */
  public get domainNames(): string[] {
    return [...this.placed.keys()];
  }

  /**
   * The stack that holds a domain's records.
   *
   * @param domainName a domain of the portfolio
   */
  public stackFor(domainName: string): Stack {
    return this.shardStacks.get(this.find(domainName).stack)!;
  }

  /**
   * The `ParkedDomain` of a parked domain of the portfolio.
   *
   * @param domainName a parked domain of the portfolio
   */
  public parkedDomain(domainName: string): ParkedDomain {
    const found = this.find(domainName);
    if (found.kind !== PortfolioDomainKind.PARKED) {
      throw new Error(`${this.node.path}: "${domainName}" is a sending domain of this portfolio; use sendingDomain().`);
    }
    return found.construct as ParkedDomain;
  }

  /**
   * The `GovEmailDomain` of a sending domain of the portfolio.
   *
   * @param domainName a sending domain of the portfolio
   */
  public sendingDomain(domainName: string): GovEmailDomain {
    const found = this.find(domainName);
    if (found.kind !== PortfolioDomainKind.SENDING) {
      throw new Error(`${this.node.path}: "${domainName}" is a parked domain of this portfolio; use parkedDomain().`);
    }
    return found.construct as GovEmailDomain;
  }

  private find(domainName: string) {
    const found = this.placed.get(normaliseDomainName(domainName));
    if (found === undefined) {
      throw new Error(`${this.node.path}: "${domainName}" is not a domain of this portfolio.`);
    }
    return found;
  }

  /** Check every domain and give it its stack. */
  private plan(domains: PortfolioDomain[]): PlannedDomain[] {
    const out: PlannedDomain[] = [];
    const seen = new Set<string>();
    const zoneNames = new Map<string, string>();
    for (const domain of domains) {
      if (!(domain instanceof PortfolioDomain)) {
        throw invalidInput(this, PORTFOLIO_RULES.domainOptions.id, domain,
          'PortfolioDomain.parked({ domainName, hostedZoneId, ... }) or PortfolioDomain.sending({ domainName, hostedZoneId, senders, dmarc, ... })');
      }
      const where = domain._where;
      for (const [field, value] of [['domainName', where.domainName], ['hostedZoneId', where.hostedZoneId], ['zoneName', where.zoneName]] as const) {
        if (value !== undefined && (typeof value !== 'string' || Token.isUnresolved(value))) {
          throw invalidInput(this, PORTFOLIO_RULES.domainOptions.id, value,
            `a ${field} known at synth: the domain's stack and construct id are worked out from it`);
        }
      }
      const name = normaliseDomainName(where.domainName);
      if (!isHostname(name)) {
        throw invalidInput(this, CONSTRUCT_RULES.dnsName.id, where.domainName,
          'a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all)',
          CONSTRUCT_RULES.dnsName.summary);
      }
      if (seen.has(name)) {
        const conflict = RECORD_CONSTRUCT_RULES.recordConflict;
        throw invalidInput(this, conflict.id, where.domainName, `each domain once in a portfolio: "${name}" is given twice`, conflict.summary);
      }
      seen.add(name);
      if (!/^[A-Za-z0-9]{1,32}$/.test(where.hostedZoneId)) {
        throw invalidInput(this, PORTFOLIO_RULES.domainOptions.id, where.hostedZoneId,
          `the id of ${name}'s hosted zone, such as "Z0123456789ABCDEFGHIJ" (letters and digits, without "/hostedzone/")`);
      }
      const zoneName = normaliseDomainName(where.zoneName ?? name);
      const known = zoneNames.get(where.hostedZoneId);
      if (known !== undefined && known !== zoneName) {
        throw invalidInput(this, PORTFOLIO_RULES.zoneName.id, `${zoneName} for ${name}`,
          `"${known}", the zoneName given with hostedZoneId ${where.hostedZoneId} before`);
      }
      zoneNames.set(where.hostedZoneId, zoneName);
      const stack = where.stack === undefined ? shardOf(name, this.shardCount) : this.checkPin(name, where.stack);
      out.push({ domain, name, hostedZoneId: where.hostedZoneId, zoneName, stack, pinned: where.stack !== undefined, mtaSts: domain._mtaStsPin() });
    }
    return out;
  }

  /**
   * Give each receiving domain its distribution (its pin, or the rule's), and check none holds
   * more than `domainsPerDistribution`. Creates the host when a domain needs it.
   */
  private planDistributions(plan: PlannedDomain[], hostProps?: MtaStsPolicyHostProps): void {
    const receiving = plan.filter((p) => p.mtaSts !== undefined);
    if (receiving.length === 0) return;
    const host = this.policyHost(hostProps);
    const pinned = new Set<string>();
    for (const p of receiving) {
      if (p.mtaSts === 0) {
        this.distributionPlan.set(p.name, distributionOf(p.name, this.mtaStsDistributionCount));
      } else {
        this.distributionPlan.set(p.name, this.checkDistributionPin(p.name, p.mtaSts!));
        pinned.add(p.name);
      }
    }
    const load = new Map<number, number>();
    for (const n of this.distributionPlan.values()) load.set(n, (load.get(n) ?? 0) + 1);
    const capacity = host.domainsPerDistribution;
    const full = [...load].filter(([, c]) => c > capacity).sort(([a], [b]) => a - b);
    if (full.length === 0) return;
    const [n, count] = full[0];
    const on = [...this.distributionPlan].filter(([, m]) => m === n).map(([d]) => d);
    const room = [...Array(this.mtaStsDistributionCount).keys()].map((i) => i + 1).filter((m) => (load.get(m) ?? 0) < capacity)
      .map((m) => `${m} (${capacity - (load.get(m) ?? 0)} free)`);
    const suggestion = this.smallestDistributionCount(receiving, pinned, capacity);
    const r = MTASTS_HOST_RULES.shardSize;
    throw invalidInput(this, r.id,
      `distribution ${n} with ${count} receiving domains (${on.filter((d) => pinned.has(d)).length} pinned)${full.length > 1 ? `, and ${full.length - 1} more distributions over` : ''}`,
      `at most ${capacity} domains a distribution (domainsPerDistribution). Before the first deployment, raise mtaStsDistributionCount`
      + `${suggestion === undefined ? '' : ` to ${suggestion} or more`} (it moves domains between distributions). Once deployed, pin ${count - capacity}`
      + ` of the domains added since (mtaSts.distribution) to a distribution with room (${room.length > 0 ? room.slice(0, 10).join(', ') : 'none'})`
      + ` or to a new distribution number above ${this.mtaStsDistributionCount}`, r.summary);
  }

  /** The smallest mtaStsDistributionCount (up to 200) that fits the unpinned receiving domains, if there is one. */
  private smallestDistributionCount(receiving: PlannedDomain[], pinned: Set<string>, capacity: number): number | undefined {
    const fixed = new Map<number, number>();
    for (const p of receiving.filter((q) => pinned.has(q.name))) {
      const n = this.distributionPlan.get(p.name)!;
      fixed.set(n, (fixed.get(n) ?? 0) + 1);
    }
    const free = receiving.filter((q) => !pinned.has(q.name));
    for (let count = this.mtaStsDistributionCount + 1; count <= MAX_DISTRIBUTION_COUNT; count++) {
      const load = new Map(fixed);
      for (const p of free) {
        const n = distributionOf(p.name, count);
        load.set(n, (load.get(n) ?? 0) + 1);
      }
      if ([...load.values()].every((c) => c <= capacity)) return count;
    }
    return undefined;
  }

  private shardStack(n: number): Stack {
    let stack = this.shardStacks.get(n);
    if (stack === undefined) {
      const id = shardId(n);
      stack = new Stack(this, id, {
        env: this.env,
        stackName: `${this.prefix}-${id}`,
        description: `Email domains of ${this.node.path}, stack ${n} (cdk-gov-email DomainPortfolio)`,
      });
      this.shardStacks.set(n, stack);
    }
    return stack;
  }

  private policyHost(props?: MtaStsPolicyHostProps): MtaStsPolicyHost {
    if (this.host === undefined) {
      this.hostStack = this.newHostStack(1);
      const host = new MtaStsPolicyHost(this.hostStack, 'PolicyHost', props);
      const layout: PolicyHostLayout = {
        distributionOf: (domain) => this.distributionPlan.get(domain)!,
        scopeFor: (n) => this.hostScope(n),
      };
      host._useLayout(layout);
      this.host = host;
    }
    return this.host;
  }

  /** Host stack number `m`, in us-east-1 of the portfolio's account. */
  private newHostStack(m: number): Stack {
    const id = hostStackId(m);
    const first = (m - 1) * DISTRIBUTIONS_PER_HOST_STACK + 1;
    const stack = new Stack(this, id, {
      env: { account: this.env?.account, region: MTA_STS_HOST_REGION },
      stackName: `${this.prefix}-${id}`,
      description: m === 1
        ? `MTA-STS policy host of ${this.node.path} (cdk-gov-email DomainPortfolio)`
        : `MTA-STS policy host of ${this.node.path}, distributions ${first} to ${first + DISTRIBUTIONS_PER_HOST_STACK - 1} (cdk-gov-email DomainPortfolio)`,
    });
    this.hostStacks.set(m, stack);
    return stack;
  }

  /**
   * Where distribution `n` is built: the host itself for those of the first stack; a construct
   * with the host's id in stack `hostStackOf(n)` for the others, so that the logical ids of a
   * distribution and of its domains' alias records read the same in every stack.
   */
  private hostScope(n: number): Construct {
    const m = hostStackOf(n);
    if (m === 1) return this.host!;
    const stack = this.hostStacks.get(m) ?? this.newHostStack(m);
    return (stack.node.tryFindChild('PolicyHost') as Construct | undefined) ?? new Construct(stack, 'PolicyHost');
  }

  /** Every stack within `maxResourcesPerStack`, or a message that says what to do. */
  private checkResources(plan: PlannedDomain[]): void {
    const resourcesOf = (c: IConstruct) => c.node.findAll().filter((x) => CfnResource.isCfnResource(x)).length;
    const counts = new Map<number, number>();
    for (const [n, stack] of this.shardStacks) counts.set(n, resourcesOf(stack));
    for (const [n, count] of [...counts].sort(([a], [b]) => a - b)) {
      if (count <= this.maxResourcesPerStack) continue;
      const stack = this.shardStacks.get(n)!;
      const room = [...counts].filter(([, c]) => c < this.maxResourcesPerStack).sort(([a], [b]) => a - b)
        .map(([m, c]) => `${m} (${this.maxResourcesPerStack - c} free)`);
      // Each domain's resources are counted only for the suggestion: most portfolios fit.
      const perDomain = new Map(plan.map((p) => [p.name, resourcesOf(this.placed.get(p.name)!.construct)]));
      const suggestion = this.smallestShardCount(plan, perDomain);
      throw invalidInput(this, PORTFOLIO_RULES.stackResources.id,
        `stack ${n} (${stack.stackName}) with ${count} resources for ${plan.filter((p) => p.stack === n).length} domains`,
        `at most ${this.maxResourcesPerStack} resources a stack (maxResourcesPerStack). Before the first deployment, raise shardCount`
        + `${suggestion === undefined ? '' : ` to ${suggestion} or more`} (it moves domains between stacks). Once deployed, pin the domains added since`
        + ` with \`stack\` to a stack with room (${room.length > 0 ? room.join(', ') : 'none'}) or to a new stack number above ${this.shardCount}`);
    }
    for (const stack of this.mtaStsStacks) {
      const count = resourcesOf(stack);
      const served = [...this.distributionPlan.values()].filter((n) => this.hostStacks.get(hostStackOf(n)) === stack).length;
      const allowed = `at most ${this.maxResourcesPerStack} resources a stack (maxResourcesPerStack, up to ${CLOUDFORMATION_MAX_RESOURCES}); each MTA-STS host stack holds`
        + ` ${DISTRIBUTIONS_PER_HOST_STACK} distributions of 3 resources and one alias record set group a domain: raise maxResourcesPerStack to`
        + ` ${DISTRIBUTIONS_PER_HOST_STACK * (this.host!.domainsPerDistribution + 3)} or lower the host's domainsPerDistribution`;
      if (count > this.maxResourcesPerStack) {
        throw invalidInput(this, PORTFOLIO_RULES.stackResources.id, `the MTA-STS host stack ${stack.stackName} with ${count} resources for ${served} domains`, allowed);
      }
      const bytes = templateBytes(stack);
      if (bytes > CLOUDFORMATION_MAX_TEMPLATE_BYTES) {
        throw invalidInput(this, PORTFOLIO_RULES.stackResources.id, `the MTA-STS host stack ${stack.stackName} with a template of ${bytes} bytes for ${served} domains`,
          `a template of at most ${CLOUDFORMATION_MAX_TEMPLATE_BYTES} bytes (CloudFormation's limit): lower the host's domainsPerDistribution`);
      }
    }
  }

  /** The smallest shardCount (up to 100) that fits the unpinned domains, if there is one. */
  private smallestShardCount(plan: PlannedDomain[], perDomain: Map<string, number>): number | undefined {
    const pinned = new Map<number, number>();
    for (const p of plan.filter((q) => q.pinned)) pinned.set(p.stack, (pinned.get(p.stack) ?? 0) + perDomain.get(p.name)!);
    for (let n = this.shardCount + 1; n <= MAX_SHARD_COUNT; n++) {
      const load = new Map(pinned);
      for (const p of plan.filter((q) => !q.pinned)) {
        const s = shardOf(p.name, n);
        load.set(s, (load.get(s) ?? 0) + perDomain.get(p.name)!);
      }
      if ([...load.values()].every((c) => c <= this.maxResourcesPerStack)) return n;
    }
    return undefined;
  }

  private checkShardCount(n: number): number {
    if (Token.isUnresolved(n) || !Number.isInteger(n) || n < 1 || n > MAX_SHARD_COUNT) {
      throw invalidInput(this, PORTFOLIO_RULES.shardCount.id, n, `a whole number from 1 to ${MAX_SHARD_COUNT} known at synth`);
    }
    return n;
  }

  private checkMaxResources(n: number): number {
    if (Token.isUnresolved(n) || !Number.isInteger(n) || n < 1 || n > CLOUDFORMATION_MAX_RESOURCES) {
      throw invalidInput(this, PORTFOLIO_RULES.stackResources.id, n,
        `maxResourcesPerStack as a whole number from 1 to ${CLOUDFORMATION_MAX_RESOURCES} (CloudFormation's quota per stack)`);
    }
    return n;
  }

  private checkDistributionCount(n: number): number {
    if (Token.isUnresolved(n) || !Number.isInteger(n) || n < 1 || n > MAX_DISTRIBUTION_COUNT) {
      throw invalidInput(this, MTASTS_HOST_RULES.shardSize.id, `mtaStsDistributionCount ${n}`,
        `a whole number from 1 to ${MAX_DISTRIBUTION_COUNT} (CloudFront's default quota of distributions an account) known at synth`);
    }
    return n;
  }

  private checkDistributionPin(name: string, n: number): number {
    if (Token.isUnresolved(n) || !Number.isInteger(n) || n < 1 || n > MAX_DISTRIBUTION_NUMBER) {
      throw invalidInput(this, MTASTS_HOST_RULES.shardSize.id, `mtaSts.distribution ${n} for ${name}`,
        `a whole number from 1 to ${MAX_DISTRIBUTION_NUMBER}, or no distribution to let the rule choose (it gives ${distributionOf(name, this.mtaStsDistributionCount)})`);
    }
    return n;
  }

  private checkPin(name: string, n: number): number {
    if (Token.isUnresolved(n) || !Number.isInteger(n) || n < 1 || n > MAX_STACK_NUMBER) {
      throw invalidInput(this, PORTFOLIO_RULES.stackPin.id, `stack ${n} for ${name}`,
        `a whole number from 1 to ${MAX_STACK_NUMBER}, or no stack to let the sharding rule choose (it gives ${shardOf(name, this.shardCount)})`);
    }
    return n;
  }

  private checkPrefix(given: string | undefined): string {
    const stageName = Stage.of(this)?.stageName;
    const prefix = given ?? `${stageName ? `${stageName}-` : ''}${this.node.id}`;
    if (Token.isUnresolved(prefix) || !STACK_NAME.test(prefix) || prefix.length > 100) {
      throw invalidInput(this, PORTFOLIO_RULES.domainOptions.id, prefix,
        'a stackNamePrefix of at most 100 letters, digits and hyphens, starting with a letter (CloudFormation stack names)',
        'The portfolio\'s stacks are named <prefix>-Shard01, <prefix>-MtaSts, ….');
    }
    return prefix;
  }
}

interface PlannedDomain {
  readonly domain: PortfolioDomain;
  readonly name: string;
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly stack: number;
  readonly pinned: boolean;
  /** Served by the MTA-STS host: the distribution it is pinned to, or 0; undefined when not served. */
  readonly mtaSts?: number;
}

/**
 * The size of a stack's template as `cdk synth` writes it (JSON, indented by one space), rendered
 * from the stack as it is now: every domain of a portfolio is built in its constructor.
 */
function templateBytes(stack: Stack): number {
  const render = (stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
  return Buffer.byteLength(JSON.stringify(stack.resolve(render), undefined, 1), 'utf8');
}
