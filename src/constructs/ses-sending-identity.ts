import { Annotations, Duration, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct, IConstruct } from 'constructs';
import { ANNOTATION_PREFIX, invalidInput, isUnresolved, reportFindings, warnNotEvaluated } from './private/annotations';
import { RecordNames, zoneNameOf } from './private/record-names';
import { ZoneWriter } from './private/zone-writer';
import { DKIM_RULES, Dkim } from '../records/dkim';
import { Severity } from '../records/finding';
import { MX_RULES, Mx } from '../records/mx';
import { isHostname } from '../records/private/uri';
import { Spf } from '../records/spf';
import { AmazonSesMailFrom } from '../senders/sender';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { SES_RULES } from '../standard/platform-rules';


/** The MAIL FROM MX preference SES documents. */
const MAIL_FROM_MX_PREFERENCE = 10;
/** RFC 1123 §2.1 label: letters, digits and inner hyphens, 1–63 characters. */
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** AWS::SES::ConfigurationSet Name: letters, digits, underscores and hyphens, at most 64 characters. */
const CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Options for Bring Your Own DKIM (BYODKIM) on an SES identity.
 */
export interface SesByoDkimOptions {
  /**
   * The DKIM selector: the key is published at `<selector>._domainkey.<domain>`.
   *
   * One DNS label, and a different one from every other service signing for the domain.
   */
  readonly selector: string;
  /**
   * The Secrets Manager secret holding the RSA private key (1024 or 2048 bits), base64
   * encoded without the PEM header, footer and line breaks, as SES expects it.
   *
   * The key reaches CloudFormation only as a `{{resolve:secretsmanager:...}}` dynamic
   * reference: it is never in the template, and never a plaintext property.
   */
  readonly privateKey: secretsmanager.ISecret;
  /**
   * The JSON field of the secret that holds the key, when the secret is a JSON object.
   *
   * @default - the whole secret string is the key
   */
  readonly privateKeyJsonField?: string;
  /**
   * The public key of the pair: the base64 `p=` value (PEM armour and line breaks are
   * removed). Published as `v=DKIM1; k=rsa; p=<key>` at `<selector>._domainkey.<domain>`
   * and checked with the DKIM key rules (at least 1024 bits; under 2048 warns).
   */
  readonly publicKey: string;
}

/**
 * What a `SesDkim` choice means for the identity and the domain's records, as plain data.
 */
export interface SesDkimConfig {
  /**
   * Easy DKIM: the key length SES creates keys with.
   *
   * @default - not Easy DKIM
   */
  readonly easyDkimSigningKeyLength?: ses.EasyDkimSigningKeyLength;
  /**
   * Bring Your Own DKIM: the selector SES signs with.
   *
   * @default - not BYODKIM
   */
  readonly byoDkimSelector?: string;
  /**
   * Bring Your Own DKIM: the key record's text as published at
   * `<selector>._domainkey.<domain>` (`v=DKIM1; k=rsa; p=<key>`).
   *
   * @default - not BYODKIM
   */
  readonly byoDkimRecord?: string;
  /**
   * Bring Your Own DKIM: the public key, the base64 `p=` value without PEM armour, or a value
   * known only at deployment.
   *
   * @default - not BYODKIM
   */
  readonly byoDkimPublicKey?: string;
  /**
   * Bring Your Own DKIM: the private key, as a reference to the secret that CloudFormation
   * resolves at deployment.
   *
   * @default - not BYODKIM
   */
  readonly byoDkimPrivateKey?: SecretValue;
}

/**
 * How SES signs the identity's mail with DKIM.
 */
export abstract class SesDkim {
  /**
   * Easy DKIM: SES creates and rotates the key pair, and the identity publishes three CNAME
   * records that point at it. The key length is set explicitly in the template.
   *
   * @param signingKeyLength the key length; RSA_1024_BIT is allowed but raises the
   * `cdk-gov-email:DKIM-RSA-KEY-UNDER-2048` warning (RFC 8301 §3.2: 2048 bits SHOULD be used).
   * @default RSA_2048_BIT
   */
  public static easy(signingKeyLength?: ses.EasyDkimSigningKeyLength): SesDkim {
    return new EasyDkim(signingKeyLength ?? ses.EasyDkimSigningKeyLength.RSA_2048_BIT);
  }

  /**
   * Bring Your Own DKIM: SES signs with your key pair. The private key comes only from
   * Secrets Manager; the public key is published as a TXT record.
   */
  public static byoDkim(options: SesByoDkimOptions): SesDkim {
    return new ByoDkim(options);
  }

  protected constructor() {}

  /** The choice as plain data: the Easy DKIM key length, or the BYODKIM selector and key record. */
  public abstract bind(): SesDkimConfig;
}

class EasyDkim extends SesDkim {
  constructor(public readonly signingKeyLength: ses.EasyDkimSigningKeyLength) {
    super();
  }

  public bind(): SesDkimConfig {
    return { easyDkimSigningKeyLength: this.signingKeyLength };
  }
}

class ByoDkim extends SesDkim {
  constructor(public readonly options: SesByoDkimOptions) {
    super();
  }

  public bind(): SesDkimConfig {
    const o = this.options;
    const key = isUnresolved(o.publicKey) ? o.publicKey : bareKey(o.publicKey);
    // A dynamic reference to the secret: CloudFormation resolves it at deployment.
    const privateKey = o.privateKeyJsonField === undefined ? o.privateKey.secretValue : o.privateKey.secretValueFromJson(o.privateKeyJsonField);
    return { byoDkimSelector: o.selector, byoDkimRecord: `v=DKIM1; k=rsa; p=${key}`, byoDkimPublicKey: key, byoDkimPrivateKey: privateKey };
  }
}

/**
 * Properties for `SesSendingIdentity`.
 */
export interface SesSendingIdentityProps {
  /**
   * The public hosted zone the identity's DKIM and MAIL FROM records are published in.
   */
  readonly zone: route53.IHostedZone;
  /**
   * The domain to send from: the zone's name or a subdomain of it (`notify.dept.gov.uk` in
   * the zone `dept.gov.uk`), without a trailing dot.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;
  /**
   * The custom MAIL FROM subdomain, as one or more labels under `domainName`. With it the
   * envelope sender is in the department's domain, so SPF aligns for DMARC.
   *
   * @default 'mail' (MAIL FROM `mail.<domainName>`)
   */
  readonly mailFromSubdomain?: string;
  /**
   * How SES signs with DKIM.
   *
   * @default SesDkim.easy() (Easy DKIM, RSA_2048_BIT)
   */
  readonly dkim?: SesDkim;
  /**
   * Whether mail sent with the identity's default configuration set must be delivered over
   * TLS. OPTIONAL allows plain-text delivery and raises the
   * `cdk-gov-email:GOVUK-SES-TLS-REQUIRED` warning.
   *
   * @default ses.ConfigurationSetTlsPolicy.REQUIRE
   */
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;
  /**
   * A name for the configuration set created as the identity's default: 1 to 64 letters,
   * digits, underscores and hyphens, or synth fails (`SES-CONFIGURATION-SET-NAME`).
   *
   * @default - a name CloudFormation generates
   */
  readonly configurationSetName?: string;
  /**
   * The TTL of the DKIM and MAIL FROM records.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
  /**
   * What happens to the SES identity, its configuration set and the DKIM and MAIL FROM records
   * that verify it when they are removed from the stack. Retained by default: deleting an
   * identity stops the department's mail and loses its DKIM keys, and a retained identity whose
   * DKIM CNAMEs were deleted loses its verification.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon SES domain identity set up to the UK government standard: Easy DKIM with 2048-bit
 * keys (or BYODKIM from Secrets Manager), a custom MAIL FROM subdomain that rejects mail when
 * its MX is missing, and a default configuration set that requires TLS and suppresses
 * addresses that bounce or complain.
 *
 * Unlike `ses.Identity.publicHostedZone()`, the identity may be a subdomain of the zone; the
 * DKIM CNAMEs take their names and values from the identity's CloudFormation attributes, never
 * from a hard-coded SES host.
 *
 * Creates: `Identity` (AWS::SES::EmailIdentity, retained), `ConfigurationSet`
 * (AWS::SES::ConfigurationSet, retained), `DkimCname1`–`DkimCname3` (Easy DKIM) or `DkimKey`
 * (BYODKIM TXT), `MailFromMx` and `MailFromSpf`, the records retained with the identity.
 */
export class SesSendingIdentity extends Construct {
  /** The SES email identity. */
  public readonly identity: ses.EmailIdentity;
  /** The configuration set attached as the identity's default. */
  public readonly configurationSet: ses.ConfigurationSet;
  /** The domain the identity sends from. */
  public readonly domainName: string;
  /** The custom MAIL FROM domain, `<mailFromSubdomain>.<domainName>`. */
  public readonly mailFromDomain: string;

  private readonly zone: route53.IHostedZone;
  private readonly zoneName: string | undefined;

  constructor(scope: Construct, id: string, props: SesSendingIdentityProps) {
    super(scope, id);
    this.zone = props.zone;
    this.zoneName = knownZoneName(props.zone);
    this.domainName = this.resolveDomainName(props.domainName);
    const mailFromSubdomain = props.mailFromSubdomain ?? 'mail';
    this.mailFromDomain = `${mailFromSubdomain}.${this.domainName}`;
    this.checkMailFromSubdomain(mailFromSubdomain);

    const dkimConfig = (props.dkim ?? SesDkim.easy()).bind();
    // The identity's names are checked here (SES-DOMAIN-NAME): its records are given them whole.
    const writer = ZoneWriter.of(this, RecordNames.forZone(props.zone), props.ttl);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const region = Stack.of(this).region;
    const mxHost = AmazonSesMailFrom.mxHost(region);
    this.checkRegion(region, mxHost);

    this.checkConfigurationSetName(props.configurationSetName);
    const tlsPolicy = props.tlsPolicy ?? ses.ConfigurationSetTlsPolicy.REQUIRE;
    if (tlsPolicy !== ses.ConfigurationSetTlsPolicy.REQUIRE) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${GOVUK_RULES.sesTlsRequired.id}`,
        `The configuration set's TLS policy is ${tlsPolicy}: SES may deliver this identity's mail in plain text. ${GOVUK_RULES.sesTlsRequired.summary} (${GOVUK_RULES.sesTlsRequired.source})`);
    }
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      tlsPolicy,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.configurationSet.applyRemovalPolicy(removalPolicy);

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      // Identity.domain, not publicHostedZone: the identity may be below the zone apex, and
      // this construct publishes the records itself.
      identity: ses.Identity.domain(this.domainName),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      dkimIdentity: this.dkimIdentity(dkimConfig),
      mailFromDomain: this.mailFromDomain,
      // USE_DEFAULT_VALUE would silently fall back to amazonses.com and lose SPF alignment.
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    });
    this.identity.applyRemovalPolicy(removalPolicy);

    // The DKIM and MAIL FROM records verify the identity: they share its removal policy, so a
    // retained identity keeps its verification when the stack is deleted or a record replaced.
    const records = dkimConfig.byoDkimSelector !== undefined
      ? this.publishByoDkimKey(dkimConfig.byoDkimSelector, dkimConfig.byoDkimPublicKey!, writer)
      : writer.easyDkimCnames(this.identity);
    records.push(...this.publishMailFrom(mxHost, writer));
    records.forEach((r) => r.applyRemovalPolicy(removalPolicy));

    this.node.addValidation({ validate: () => this.crossCheck() });
  }

  private resolveDomainName(given: string | undefined): string {
    if (given === undefined && zoneNameOf(this.zone) === undefined) {
      throw invalidInput(this, SES_RULES.domainName.id, given,
        'a domainName: the zone was imported by id alone, so its name is not known (or import it with HostedZone.fromHostedZoneAttributes)',
        SES_RULES.domainName.summary);
    }
    const domain = given ?? stripDot(this.zone.zoneName);
    if (isUnresolved(domain)) {
      warnNotEvaluated(this, `The SES identity domain ("${domain}")`);
      return domain;
    }
    if (!isHostname(domain)) {
      throw invalidInput(this, SES_RULES.domainName.id, domain,
        'a domain name such as notify.dept.gov.uk: at least two labels of letters, digits and inner hyphens, each at most 63 characters, at most 253 in all, no trailing dot',
        SES_RULES.domainName.summary);
    }
    if (this.zoneName === undefined) {
      warnNotEvaluated(this, `Whether "${domain}" is in the hosted zone (its name is a token)`);
    } else if (!isSameOrUnder(domain, this.zoneName)) {
      throw invalidInput(this, SES_RULES.domainOutsideZone.id, domain,
        `"${this.zoneName}" or a name under it (the zone's name)`, SES_RULES.domainOutsideZone.summary);
    }
    return domain;
  }

  private checkMailFromSubdomain(subdomain: string): void {
    if (isUnresolved(subdomain)) {
      warnNotEvaluated(this, `The MAIL FROM subdomain ("${subdomain}")`);
      return;
    }
    const labels = subdomain.split('.');
    const fits = isUnresolved(this.domainName) || this.mailFromDomain.length <= 253;
    if (subdomain === '' || !labels.every((l) => LDH_LABEL.test(l)) || !fits) {
      throw invalidInput(this, SES_RULES.mailFromDomain.id, subdomain,
        'one or more labels of letters, digits and inner hyphens (each at most 63 characters, no leading or trailing dot) that keep the MAIL FROM domain within 253 characters, such as "mail" or "bounce.mail"',
        SES_RULES.mailFromDomain.summary);
    }
  }

  private checkConfigurationSetName(name: string | undefined): void {
    if (name === undefined) return;
    if (isUnresolved(name)) {
      warnNotEvaluated(this, `The configuration set name ("${name}")`);
      return;
    }
    if (!CONFIGURATION_SET_NAME.test(name)) {
      throw invalidInput(this, SES_RULES.configurationSetName.id, name,
        `1 to 64 letters, digits, underscores and hyphens, such as "dept-gov-uk-tls-required" (this one has ${name.length} characters)`);
    }
  }

  private checkRegion(region: string, mxHost: string): void {
    if (Token.isUnresolved(region)) {
      warnNotEvaluated(this, 'The MAIL FROM MX host feedback-smtp.<region>.amazonses.com (the stack\'s region; set the stack\'s env.region to check it here)');
      return;
    }
    if (Mx.validate({ preference: MAIL_FROM_MX_PREFERENCE, exchange: mxHost }).some((f) => f.severity === Severity.ERROR)) {
      throw invalidInput(this, MX_RULES.exchange.id, region,
        `an AWS region name such as eu-west-2, so that the MAIL FROM MX host "${mxHost}" is a host name`,
        MX_RULES.exchange.summary);
    }
  }

  private dkimIdentity(dkim: SesDkimConfig): ses.DkimIdentity {
    const selector = dkim.byoDkimSelector;
    if (selector !== undefined) {
      if (isUnresolved(selector)) {
        warnNotEvaluated(this, `The BYODKIM selector ("${selector}")`);
      } else if (!LDH_LABEL.test(selector)) {
        throw invalidInput(this, SES_RULES.dkimSelector.id, selector,
          'one DNS label of 1–63 letters, digits and inner hyphens, such as "ses2026"', SES_RULES.dkimSelector.summary);
      }
      return ses.DkimIdentity.byoDkim({ selector, privateKey: dkim.byoDkimPrivateKey! });
    }
    const length = dkim.easyDkimSigningKeyLength ?? ses.EasyDkimSigningKeyLength.RSA_2048_BIT;
    if (length !== ses.EasyDkimSigningKeyLength.RSA_2048_BIT) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${DKIM_RULES.rsaUnder2048.id}`,
        `Easy DKIM is set to ${length}; ${DKIM_RULES.rsaUnder2048.summary} (${DKIM_RULES.rsaUnder2048.source})`);
    }
    return ses.DkimIdentity.easyDkim(length);
  }

  private publishByoDkimKey(selector: string, publicKey: string, writer: ZoneWriter): route53.RecordSet[] {
    const name = `${selector}._domainkey.${this.domainName}`;
    if (isUnresolved(publicKey)) {
      // A token cannot be split into 255-octet strings here, so no record is better than one
      // Route 53 rejects or that holds a truncated key.
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${GOVUK_RULES.dkimMissing.id}`,
        `The BYODKIM public key is not known until deployment, so the TXT record ${name} was not created: publish "v=DKIM1; k=rsa; p=<key>" there yourself. (${GOVUK_RULES.dkimMissing.source})`);
      return [];
    }
    const text = `v=DKIM1; k=rsa; p=${publicKey}`;
    const findings = Dkim.check(text, { name });
    reportFindings(this, findings);
    if (findings.some((f) => f.severity === Severity.ERROR)) return [];
    return [writer.recordSet('DkimKey', { name, type: route53.RecordType.TXT, values: [text] })];
  }

  private publishMailFrom(mxHost: string, writer: ZoneWriter): route53.RecordSet[] {
    // The host is built from the region: when the region is a token the value is joined at
    // deployment, and checked above only when it is known.
    const mx = writer.recordSet('MailFromMx', {
      name: this.mailFromDomain, type: route53.RecordType.MX, values: [`${MAIL_FROM_MX_PREFERENCE} ${mxHost}.`],
    });
    const spf = AmazonSesMailFrom.spfRecord();
    reportFindings(this, Spf.check(spf, { name: this.mailFromDomain, includeCosts: [AmazonSesMailFrom.SPF_INCLUDE] }));
    const txt = writer.recordSet('MailFromSpf', { name: this.mailFromDomain, type: route53.RecordType.TXT, values: [spf] });
    return [mx, txt];
  }

  /**
   * SES refuses a MAIL FROM domain that is also a sending identity, so no other identity in
   * the app may send from this one's MAIL FROM domain.
   */
  private crossCheck(): string[] {
    if (isUnresolved(this.mailFromDomain)) return [];
    const mine = this.mailFromDomain.toLowerCase();
    return this.node.root.node.findAll()
      .filter((c: IConstruct): c is SesSendingIdentity => c instanceof SesSendingIdentity && c !== this)
      .filter((other) => !isUnresolved(other.domainName) && other.domainName.toLowerCase() === mine)
      .map((other) => `[${SES_RULES.mailFromDomain.id}] ${SES_RULES.mailFromDomain.summary} Got: MAIL FROM "${this.mailFromDomain}", which ${other.node.path} uses as its sending domain. Allowed: a MAIL FROM subdomain no identity sends from. (${SES_RULES.mailFromDomain.source})`);
  }
}

/** The zone's name without its trailing dot, as given, or undefined when it is a token or not known. */
function knownZoneName(zone: route53.IHostedZone): string | undefined {
  const name = zoneNameOf(zone);
  return name === undefined || isUnresolved(name) ? undefined : stripDot(name);
}

function isSameOrUnder(name: string, zone: string): boolean {
  const n = name.toLowerCase();
  const z = zone.toLowerCase();
  return n === z || n.endsWith(`.${z}`);
}

function stripDot(name: string): string {
  return !isUnresolved(name) && name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The base64 key alone: PEM armour and whitespace removed. */
function bareKey(key: string): string {
  return key.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
}
