import { Finding, aboutRecord } from '../finding';
import { TXT_RULES, TxtChunks } from '../txt';

/**
 * The character-strings a TXT value is published as: quoted strings (`"v=spf1 " "-all"`) as
 * they are written, and plain text as `TxtChunks.toRoute53Value` splits it into 255-octet
 * strings, since plain text is the record's text, not a string DNS holds. A value read from DNS
 * is plain only when it is one string, which the split leaves whole.
 *
 * @param text the record, as plain text or as quoted character-strings
 * @internal
 */
export function publishedStrings(text: string): string[] {
  return text.trim().startsWith('"')
    ? TxtChunks.parseStrings(text)
    : TxtChunks.split(text.trim(), { asciiOnly: false });
}

/**
 * How a TXT record's encoding is checked: its character-strings (at most 255 octets each), ASCII
 * only, and the 450-octet UDP guidance.
 * @internal
 */
export interface TxtEncoding {
  /**
   * The record's own rules report a non-ASCII character where it is (SPF, per term), so the
   * check of the text a model is written as does not report it again; a published text is
   * still checked for it, as DNS holds it.
   *
   * @default false
   */
  readonly asciiInRules?: boolean;

  /**
   * Whether the 450-octet UDP guidance applies (not to DKIM keys, fetched over EDNS0 or TCP).
   *
   * @default true
   */
  readonly udpSize?: boolean;
}

/**
 * The one check of a TXT record's encoding, as DNS holds it: the character-strings it is
 * published as (see `publishedStrings`), each at most 255 octets, ASCII only and the whole under
 * the 450-octet UDP guidance, as the encoding asks.
 *
 * @param text the record, as plain text or as quoted character-strings
 * @param name the DNS name, used as the findings' path
 * @param encoding what is checked
 * @param asPublished whether the text was published (read from DNS or given to be published), or
 * written from a model, whose own rules may already report a non-ASCII character
 * @internal
 */
export function txtEncodingFindings(text: string, name: string | undefined, encoding: TxtEncoding, asPublished: boolean): Finding[] {
  const asciiOnly = asPublished || !(encoding.asciiInRules ?? false);
  const findings = TxtChunks.validate(publishedStrings(text), { name, asciiOnly })
    .filter((f) => (encoding.udpSize ?? true) || f.ruleId !== TXT_RULES.udpSize.id);
  return aboutRecord(findings, name, 'TXT');
}
