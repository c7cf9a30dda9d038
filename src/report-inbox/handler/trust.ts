/**
 * The inbox's trust decision: which reports count in the metrics the alarms watch, and whose
 * budget a message spends.
 */
import { ParsedReport } from '../../reports';
import { MessageTrust, TrustDecision, TrustReason, authenticateMessage, decideTrust } from '../../reports/trust';

/** The one budget every message that is not authenticated shares, so forgeries cannot spend a real reporter's. */
export const UNAUTHENTICATED_REPORTER = 'unauthenticated';

/** The message's authentication, from the headers SES wrote (none read: not authenticated). */
export function messageTrust(headers: Array<[string, string]> | undefined): MessageTrust {
  return headers === undefined ? { authenticated: false, reason: TrustReason.NO_SES_RESULTS } : authenticateMessage(headers);
}

/** The key of a message's per-reporter budget: the authenticated reporter's organisational domain. */
export function reporterKey(message: MessageTrust): string {
  return message.authenticated && message.reporterDomain !== undefined ? message.reporterDomain : UNAUTHENTICATED_REPORTER;
}

/** Whether one report is trusted: its message authenticated, and the report consistent with itself. */
export function reportTrust(message: MessageTrust, report: ParsedReport, now: Date): TrustDecision {
  return decideTrust(message, report, now);
}

/** Whether something counts in the metrics the alarms watch. */
export function counted(authenticated: boolean, countUnauthenticated: boolean): boolean {
  return authenticated || countUnauthenticated;
}
