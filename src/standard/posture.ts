import { SpfIncludeCost } from '../records/spf';

/**
 * The TXT values found at one DKIM selector.
 */
export interface DkimSelectorPosture {
  /** The selector, for example `selector1` (the record is at `<selector>._domainkey.<domain>`). */
  readonly selector: string;
  /**
   * The TXT values at the selector (after any CNAME), as DNS tools print them.
   * An empty list means the selector holds no key.
   */
  readonly values: string[];
  /**
   * True when a service is known to sign with this selector, so a missing or revoked key
   * there is a problem rather than a choice.
   *
   * @default false
   */
  readonly expectedToSign?: boolean;
}

/**
 * A DKIM selector delegated to the provider: a CNAME to the key it publishes and rotates.
 */
export interface DkimDelegationPosture {
  /** The selector, for example `selector1` (the CNAME is at `<selector>._domainkey.<domain>`). */
  readonly selector: string;
  /** The CNAME target, for example `selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com`. */
  readonly target: string;
}

/**
 * The TXT values found at one BIMI selector.
 */
export interface BimiSelectorPosture {
  /** The selector, for example `default` (the record is at `<selector>._bimi.<domain>`). */
  readonly selector: string;
  /** The TXT values at the selector, as DNS tools print them. */
  readonly values: string[];
}

/**
 * The TXT values at an external DMARC report authorisation name.
 */
export interface ReportAuthorisationPosture {
  /** The DNS name, `<policy-domain>._report._dmarc.<destination-host>`. */
  readonly name: string;
  /** The TXT values found there; empty when there are none. */
  readonly values: string[];
}

/**
 * What one domain publishes, as input to the UK government profile.
 *
 * Every record field takes the values as DNS holds them (one string per record; TXT values
 * either joined or as quoted character-strings, `"v=spf1 " "-all"`). A field left undefined
 * means "not part of this evaluation": its rules are skipped, never passed. An empty list means
 * "looked up, and there is none".
 */
export interface DomainPosture {
  /** The domain, for example `dept.gov.uk`. */
  readonly domainName: string;
  /**
   * Whether the domain sends mail.
   *
   * @default - inferred: true when SPF authorises anything or a DKIM key is published
   */
  readonly sendsMail?: boolean;
  /**
   * Whether the domain receives mail.
   *
   * @default - inferred: true when an MX other than a null MX is published
   */
  readonly receivesMail?: boolean;
  /**
   * Evaluate the domain with the parked-domain profile (sends and receives no mail).
   *
   * @default - inferred: true when the domain neither sends nor receives mail
   */
  readonly parked?: boolean;
  /**
   * TXT values at the apex (SPF and anything else).
   *
   * @default - not evaluated
   */
  readonly apexTxt?: string[];
  /**
   * MX values at the apex, `<preference> <exchange>`.
   *
   * @default - not evaluated
   */
  readonly mx?: string[];
  /**
   * TXT values at `_dmarc.<domain>`.
   *
   * @default - not evaluated
   */
  readonly dmarc?: string[];
  /**
   * TXT values at `_mta-sts.<domain>`.
   *
   * @default - not evaluated
   */
  readonly mtaStsTxt?: string[];
  /**
   * The MTA-STS policy body served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
   *
   * @default - not evaluated, or not available (see `mtaStsPolicyError`)
   */
  readonly mtaStsPolicy?: string;
  /**
   * Why the MTA-STS policy could not be had, when a fetch failed.
   *
   * @default - no error
   */
  readonly mtaStsPolicyError?: string;
  /**
   * TXT values at `_smtp._tls.<domain>`.
   *
   * @default - not evaluated
   */
  readonly tlsRpt?: string[];
  /**
   * DKIM selectors looked at, with what each holds.
   *
   * @default - not evaluated
   */
  readonly dkim?: DkimSelectorPosture[];
  /**
   * DKIM selectors published as CNAMEs to a provider's key (Microsoft 365's `selector1` and
   * `selector2`): the keys live in the provider's DNS, so they are reported as delegated
   * (`DKIM-DELEGATED`, info) for `gov-email check` to verify live, not as unknown.
   *
   * @default - none
   */
  readonly dkimDelegated?: DkimDelegationPosture[];
  /**
   * TXT values at `*._domainkey.<domain>` (a parked domain's revoked wildcard key).
   *
   * @default - not evaluated
   */
  readonly dkimWildcard?: string[];
  /**
   * CAA values at the apex, `<flags> <tag> "<value>"`.
   *
   * @default - not evaluated
   */
  readonly caa?: string[];
  /**
   * BIMI selectors looked at (`<selector>._bimi.<domain>`), with what each holds. A selector
   * whose record shows a logo is evaluated with the DMARC policy in `dmarc`, which BIMI needs at
   * enforcement.
   *
   * @default - not evaluated
   */
  readonly bimi?: BimiSelectorPosture[];
  /**
   * External DMARC report authorisation records looked up.
   *
   * @default - not evaluated
   */
  readonly reportAuthorisations?: ReportAuthorisationPosture[];
  /**
   * Known lookup costs of SPF includes, for the lookup budget.
   *
   * @default - each include counts 1 and is reported as of unknown cost
   */
  readonly spfIncludeCosts?: SpfIncludeCost[];
  /**
   * Whether mail sent through SES uses a configuration set with TLS policy REQUIRE set as the
   * identity's default.
   *
   * @default - not evaluated
   */
  readonly sesTlsRequired?: boolean;
  /**
   * The minimum TLS protocol of the MTA-STS policy host (a CloudFront security policy name
   * such as `TLSv1.2_2021`).
   *
   * @default - not evaluated
   */
  readonly policyHostMinimumTls?: string;
  /**
   * Whether the domain's zone is signed with DNSSEC.
   *
   * @default - not evaluated
   */
  readonly dnssec?: boolean;
  /**
   * Names of posture fields whose values could not be resolved (for example a CloudFormation
   * intrinsic at synth time), reported as not evaluated.
   *
   * @default - none
   */
  readonly unresolved?: string[];
}
