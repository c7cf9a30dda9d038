import { DANE_RULES, DNSSEC_RULES } from './dnssec-rules';
import { GOVUK_RULES } from './govuk-rules';
import { CHECK_RULES, VERIFY_RULES } from './live-rules';
import { CONSTRUCT_RULES, MTASTS_HOST_RULES, PORTFOLIO_RULES, RECORD_CONSTRUCT_RULES, SENDER_RULES, SES_RULES } from './platform-rules';
import { REPORT_RULES } from './report-rules';
import { TRANSIT_RULES } from './transit-rules';
import { BIMI_RULES } from '../records/bimi';
import { CAA_RULES } from '../records/caa';
import { DKIM_RULES } from '../records/dkim';
import { DMARC_RULES } from '../records/dmarc';
import { RuleDefinition } from '../records/finding';
import { MTASTS_RULES } from '../records/mta-sts';
import { MX_RULES } from '../records/mx';
import { SPF_RULES } from '../records/spf';
import { TLSRPT_RULES } from '../records/tls-rpt';
import { TXT_RULES } from '../records/txt';

/**
 * Every group of rules, by the name its module exports it under (for tests that check each rule
 * is exercised). @internal
 */
export const RULE_GROUPS: Record<string, Record<string, RuleDefinition>> = {
  TXT_RULES,
  SPF_RULES,
  DMARC_RULES,
  TLSRPT_RULES,
  MTASTS_RULES,
  DKIM_RULES,
  MX_RULES,
  CAA_RULES,
  BIMI_RULES,
  GOVUK_RULES,
  CONSTRUCT_RULES,
  RECORD_CONSTRUCT_RULES,
  SES_RULES,
  SENDER_RULES,
  CHECK_RULES,
  DNSSEC_RULES,
  DANE_RULES,
  TRANSIT_RULES,
  VERIFY_RULES,
  MTASTS_HOST_RULES,
  PORTFOLIO_RULES,
  REPORT_RULES,
};

const ALL: RuleDefinition[] = Object.values(RULE_GROUPS).flatMap((group) => Object.values(group));

const BY_ID = new Map(ALL.map((r) => [r.id, r]));

/**
 * Every rule the library checks: the RFC rules of each record and the UK government profile.
 *
 * The rule ids are public API: warning annotations, cdk-nag findings and CLI output use them,
 * and acknowledgements refer to them.
 */
export class RuleCatalogue {
  /** All rules, RFC rules first, then the UK government profile. */
  public static all(): RuleDefinition[] {
    return [...ALL];
  }

  /**
   * The rule with this id.
   * @throws when no rule has the id
   */
  public static get(id: string): RuleDefinition {
    const r = BY_ID.get(id);
    if (r === undefined) {
      throw new Error(`No rule has the id "${id}"; see RuleCatalogue.all() for the ids.`);
    }
    return r;
  }

  /** The rule with this id, or undefined. */
  public static find(id: string): RuleDefinition | undefined {
    return BY_ID.get(id);
  }

  private constructor() {}
}
