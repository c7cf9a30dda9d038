import { TXT_RULES } from '../../records/txt';
import { defineRule } from '../private/rule';

/**
 * TXT values are publishable: 255-octet strings, printable ASCII, no pasted quotes, within Route 53's and UDP's limits.
 *
 * A TXT value Route 53 rejects or truncates, or one too long for a plain UDP answer.
 */
export default defineRule(__filename, [
  TXT_RULES.stringLength,
  TXT_RULES.route53ValueLength,
  TXT_RULES.nonAscii,
  TXT_RULES.udpSize,
  TXT_RULES.quotedValue,
]);
