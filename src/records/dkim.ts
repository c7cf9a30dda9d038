import { Finding, RuleDefinition, Severity, finding, rule } from './finding';
import { nodeCrypto } from './private/node-builtins';
import { RecordFormat, checkText, renderModel, validateModel } from './private/record-model';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about DKIM key records (RFC 6376, RFC 8301, RFC 8463). @internal */
export const DKIM_RULES = {
  tagSyntax: rule('DKIM-TAG-SYNTAX', Severity.ERROR,
    'A DKIM key record is a list of "tag=value" separated by ";": tag names are a letter then letters, digits or "_"; values are visible ASCII other than ";", with inner spaces.',
    'RFC 6376 §3.2'),
  version: rule('DKIM-VERSION', Severity.ERROR,
    'The "v" tag, when present, is "DKIM1" (case-sensitive) and is the first tag; verifiers discard a record with any other version.',
    'RFC 6376 §3.6.1'),
  duplicateTag: rule('DKIM-DUPLICATE-TAG', Severity.ERROR,
    'Each tag appears at most once; a repeated tag makes the whole record invalid.',
    'RFC 6376 §3.2'),
  keyMissing: rule('DKIM-KEY-MISSING', Severity.ERROR,
    'A DKIM key record has a "p" tag (tag names are case-sensitive).',
    'RFC 6376 §3.6.1'),
  keyRevoked: rule('DKIM-KEY-REVOKED', Severity.INFO,
    'An empty "p=" means the key is revoked: no signature with this selector verifies.',
    'RFC 6376 §3.6.1'),
  keyType: rule('DKIM-KEY-TYPE', Severity.ERROR,
    'The "k" tag, when present, is "rsa" or "ed25519"; verifiers ignore a key of any other type.',
    'RFC 6376 §3.6.1; RFC 8463 §4'),
  keyInvalid: rule('DKIM-KEY-INVALID', Severity.ERROR,
    'The "p" tag is base64 of a public key of the record\'s type: an RSA SubjectPublicKeyInfo or RSAPublicKey, or a raw Ed25519 key.',
    'RFC 6376 §3.6.1; RFC 8463 §4'),
  rsaUnder1024: rule('DKIM-RSA-KEY-UNDER-1024', Severity.ERROR,
    'An RSA key is at least 1024 bits; verifiers reject shorter keys.',
    'RFC 8301 §3.2'),
  rsaUnder2048: rule('DKIM-RSA-KEY-UNDER-2048', Severity.WARNING,
    'An RSA key SHOULD be at least 2048 bits.',
    'RFC 8301 §3.2'),
  rsaOver4096: rule('DKIM-RSA-KEY-OVER-4096', Severity.WARNING,
    'Verifiers need only handle RSA keys up to 4096 bits; a longer key may not verify.',
    'RFC 8301 §3.2'),
  ed25519Length: rule('DKIM-ED25519-KEY-LENGTH', Severity.ERROR,
    'An Ed25519 key is the raw 32-octet public key, base64-encoded (not a SubjectPublicKeyInfo).',
    'RFC 8463 §4'),
  hashAlgorithm: rule('DKIM-HASH-SHA256', Severity.ERROR,
    'The "h" tag, when present, allows sha256: SHA-1 MUST NOT be used for signing or verifying.',
    'RFC 8301 §3.1; RFC 6376 §3.6.1'),
  serviceType: rule('DKIM-SERVICE-TYPE', Severity.ERROR,
    'The "s" tag, when present, includes "*" or "email"; otherwise the key is not usable for email.',
    'RFC 6376 §3.6.1'),
  testing: rule('DKIM-TESTING', Severity.INFO,
    'The "t=y" flag marks the domain as testing DKIM: verifiers MUST NOT treat signed and unsigned mail differently.',
    'RFC 6376 §3.6.1'),
  unknownTag: rule('DKIM-UNKNOWN-TAG', Severity.INFO,
    'Verifiers ignore tags other than v, h, k, n, p, s and t (tag names are case-sensitive): check the name is not a misspelling.',
    'RFC 6376 §3.2, §3.6.1'),
} satisfies Record<string, RuleDefinition>;

/**
 * The type of a DKIM public key (RFC 6376 §3.6.1, RFC 8463). The values are the `k=` words.
 */
export enum DkimKeyType {
  /** RSA (the default when `k` is absent). */
  RSA = 'rsa',
  /** Ed25519 (RFC 8463). */
  ED25519 = 'ed25519',
}

/**
 * A tag of a DKIM key record that RFC 6376 does not define, or one that is repeated or out of
 * place (kept so that `validate` can report it).
 */
export interface DkimTag {
  /** The tag name, as written (case-sensitive). */
  readonly name: string;

  /** The tag value, without surrounding whitespace. */
  readonly value: string;
}

/**
 * A DKIM key record, the TXT value at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.1).
 */
export interface DkimKeyModel {
  /**
   * The `v` tag: `DKIM1` when written.
   *
   * @default - no `v` tag (DKIM1 implied)
   */
  readonly version?: string;

  /**
   * The `k` tag.
   *
   * @default - no `k` tag (rsa implied)
   */
  readonly keyType?: DkimKeyType;

  /**
   * The `p` tag: the base64 public key, whitespace removed. An empty string means the key is
   * revoked.
   */
  readonly publicKey: string;

  /**
   * The `h` tag: the hash algorithms the key may be used with, lower-case (`sha256`).
   *
   * @default - no `h` tag (every algorithm allowed)
   */
  readonly hashAlgorithms?: string[];

  /**
   * The `s` tag: the service types the key is for, lower-case (`email`, `*`).
   *
   * @default - no `s` tag (all services)
   */
  readonly serviceTypes?: string[];

  /**
   * The `t` tag: flags, lower-case (`y` testing, `s` no subdomains in `i=`).
   *
   * @default - no `t` tag (no flags)
   */
  readonly flags?: string[];

  /**
   * The `n` tag: notes for people, as written.
   *
   * @default - no `n` tag
   */
  readonly notes?: string;

  /**
   * Tags RFC 6376 does not define, and repeated or misplaced tags, in the order written
   * (rendered after the others).
   *
   * @default - none
   */
  readonly unknownTags?: DkimTag[];
}

/** The tags RFC 6376 §3.6.1 defines for key records. */
const KNOWN_TAGS = ['v', 'h', 'k', 'n', 'p', 's', 't'];
/** RFC 6376 §3.2 `tag-name = ALPHA *ALNUMPUNC`. */
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** RFC 6376 §3.2 `tag-value`: VALCHAR (%x21-3A / %x3C-7E) runs separated by whitespace. */
const TAG_VALUE = /^[\x21-\x3a\x3c-\x7e \t\r\n]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** RFC 8463 §4: an Ed25519 key is 32 octets. */
const ED25519_KEY_OCTETS = 32;

/**
 * Parse, generate and check DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463).
 */
export class Dkim {
  /**
   * Read a DKIM key record.
   *
   * Lenient about what real DNS holds: spaces around `;` and `=`, a trailing `;`, empty
   * tags, whitespace folded into `p` (removed), the case of `k`, `h`, `s` and `t` values, and
   * quoted or split strings. Tag names stay case-sensitive (RFC 6376 §3.2). A repeated tag,
   * or a `v` that is not first, is kept in `unknownTags`.
   *
   * @param text the record, as plain text or as quoted character-strings
   * @throws RecordSyntaxError when the text is not a tag list, begins with a `v` other than
   * `DKIM1`, has no `p` tag, or has a `k` other than `rsa` or `ed25519`
   */
  public static parse(text: string): DkimKeyModel {
    const value = TxtChunks.parse(text).trim();
    const tags: DkimTag[] = [];
    for (const spec of value.split(';')) {
      if (spec.trim() === '') continue;
      const eq = spec.indexOf('=');
      if (eq < 0) {
        throw new RecordSyntaxError(DKIM_RULES.tagSyntax, `"${preview(spec.trim())}" is not "tag=value"; got "${preview(value)}".`);
      }
      tags.push({ name: spec.slice(0, eq).trim(), value: spec.slice(eq + 1).trim() });
    }
    if (tags.length > 0 && tags[0].name === 'v' && tags[0].value !== 'DKIM1') {
      throw new RecordSyntaxError(DKIM_RULES.version, `The record begins with a version other than "DKIM1" (case-sensitive): got "v=${tags[0].value}".`);
    }
    const taken = new Set<string>();
    const unknownTags: DkimTag[] = [];
    const known = new Map<string, string>();
    tags.forEach((t, i) => {
      const misplacedVersion = t.name === 'v' && i > 0;
      if (!KNOWN_TAGS.includes(t.name) || taken.has(t.name) || misplacedVersion) {
        unknownTags.push(t);
        return;
      }
      taken.add(t.name);
      known.set(t.name, t.value);
    });
    const p = known.get('p');
    if (p === undefined) {
      const hint = unknownTags.find((t) => t.name === 'P');
      throw new RecordSyntaxError(DKIM_RULES.keyMissing,
        `The record has no "p" tag${hint ? '; tag names are case-sensitive, got "P="' : ''}: got "${preview(value)}".`);
    }
    const k = known.get('k');
    let keyType: DkimKeyType | undefined;
    if (k !== undefined) {
      keyType = (Object.values(DkimKeyType) as string[]).find((x) => x === k.toLowerCase()) as DkimKeyType | undefined;
      if (keyType === undefined) {
        throw new RecordSyntaxError(DKIM_RULES.keyType, `The key type must be "rsa" or "ed25519"; got "k=${k}".`);
      }
    }
    const list = (tag: string) => {
      const v = known.get(tag);
      return v === undefined ? undefined : v.split(':').map((x) => x.trim().toLowerCase()).filter((x) => x !== '');
    };
    const hashAlgorithms = list('h');
    const serviceTypes = list('s');
    const flags = list('t');
    const notes = known.get('n');
    const version = known.get('v');
    return {
      ...(version !== undefined ? { version } : {}),
      ...(keyType !== undefined ? { keyType } : {}),
      publicKey: p.replace(/\s+/g, ''),
      ...(hashAlgorithms !== undefined ? { hashAlgorithms } : {}),
      ...(serviceTypes !== undefined ? { serviceTypes } : {}),
      ...(flags !== undefined ? { flags } : {}),
      ...(notes !== undefined ? { notes } : {}),
      ...(unknownTags.length > 0 ? { unknownTags } : {}),
    };
  }

  /**
   * The canonical text of a DKIM key record: `v`, `k`, `h`, `s`, `t`, `n`, then `p`, then any
   * other tags, separated by `; `. The key is one unbroken string: split it into DNS
   * character-strings with `TxtChunks`.
   *
   * @throws Error when `validate` reports an error
   */
  public static render(model: DkimKeyModel): string {
    return renderModel(DKIM_FORMAT, model);
  }

  /**
   * Check a DKIM key record against RFC 6376 §3.6.1, RFC 8301 and RFC 8463, decoding the key
   * to measure it, and the text it is published as (ASCII only; the 450-octet UDP guidance is
   * not applied, see `check`).
   *
   * @param model the key record
   * @param options `name`: the DNS name (`<selector>._domainkey.<domain>`), used as the findings' path
   */
  public static validate(model: DkimKeyModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(DKIM_FORMAT, model, options);
  }

  /**
   * Parse and validate a published DKIM key record, including its character-strings when the
   * text is quoted as DNS holds it (each at most 255 octets, ASCII only). Never throws.
   *
   * The 450-octet UDP guidance is not applied: a 2048-bit key alone is about 400 characters
   * and DKIM keys are routinely fetched over EDNS0 or TCP.
   *
   * @param text the record, as plain text or as quoted character-strings
   * @param options `name`: the DNS name (`<selector>._domainkey.<domain>`), used as the findings' path
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(DKIM_FORMAT, text, options);
  }

  /**
   * The size of the key in bits, read from the key itself: the RSA modulus length, or 256 for
   * an Ed25519 key. RSA keys are read as SubjectPublicKeyInfo or, failing that, as PKCS#1
   * RSAPublicKey, since both appear in DNS.
   *
   * @returns the size, or undefined when the key is revoked or cannot be decoded as the
   * record's key type
   */
  public static keyBits(model: DkimKeyModel): number | undefined {
    if (model.publicKey === '') return undefined;
    return decodeKey(model.publicKey, model.keyType ?? DkimKeyType.RSA).bits;
  }

  /** Whether the key is revoked: an empty `p=` (RFC 6376 §3.6.1). */
  public static isRevoked(model: DkimKeyModel): boolean {
    return model.publicKey === '';
  }

  private constructor() {}
}

/** A decoded key: its size, or why it could not be decoded. */
interface DecodedKey {
  readonly bits?: number;
  readonly problem?: string;
  readonly rule?: RuleDefinition;
}

function decodeKey(publicKey: string, keyType: DkimKeyType): DecodedKey {
  const b64 = publicKey.replace(/\s+/g, '');
  if (!BASE64.test(b64)) {
    const bad = [...b64].find((c) => !/[A-Za-z0-9+/=]/.test(c));
    return { problem: `The key is not base64: it holds "${bad ?? '='}".`, rule: DKIM_RULES.keyInvalid };
  }
  const der = Buffer.from(b64, 'base64');
  if (der.length === 0) {
    return { problem: 'The key decodes to no octets.', rule: DKIM_RULES.keyInvalid };
  }
  if (keyType === DkimKeyType.ED25519) {
    if (der.length !== ED25519_KEY_OCTETS) {
      return {
        problem: `An Ed25519 key is the raw ${ED25519_KEY_OCTETS}-octet key; got ${der.length} octets${der.length === 44 ? ' (a SubjectPublicKeyInfo: publish only its last 32 octets)' : ''}.`,
        rule: DKIM_RULES.ed25519Length,
      };
    }
    return { bits: 256 };
  }
  const fast = rsaModulusBits(der);
  if (fast !== undefined) return { bits: fast };
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = nodeCrypto().createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') {
        return { problem: `The key is an ${key.asymmetricKeyType} key, but the record's key type is rsa.`, rule: DKIM_RULES.keyInvalid };
      }
      const bits = key.asymmetricKeyDetails?.modulusLength;
      return bits === undefined ? { problem: 'The RSA key has no modulus.', rule: DKIM_RULES.keyInvalid } : { bits };
    } catch {
      // Not this encoding; try the next.
    }
  }
  return { problem: `The key is not an RSA public key (neither SubjectPublicKeyInfo nor RSAPublicKey DER): got "${preview(b64)}".`, rule: DKIM_RULES.keyInvalid };
}

/** The DER of the rsaEncryption algorithm identifier (OID 1.2.840.113549.1.1.1, NULL parameters). */
const RSA_ENCRYPTION_ALGORITHM = Buffer.from('300d06092a864886f70d0101010500', 'hex');
/** The moduli read from the octets (512 to 16,384 bits); others are left to OpenSSL. */
const MIN_FAST_MODULUS_OCTETS = 64;
const MAX_FAST_MODULUS_OCTETS = 2048;

/**
 * The modulus size of an RSA public key in strict DER, read from the octets: a
 * SubjectPublicKeyInfo for rsaEncryption with NULL parameters or a PKCS#1 RSAPublicKey, every
 * length in its shortest form, each INTEGER positive and minimally encoded, nothing after the
 * key, a modulus of 64 to 2,048 octets (a one-octet modulus of 1, for one, is refused by
 * OpenSSL). Anything else, however close, is undefined and left to OpenSSL
 * (`createPublicKey`), which then gives the verdict; building a key object for every record
 * costs far more than reading its length.
 */
function rsaModulusBits(der: Buffer): number | undefined {
  let key = der;
  const outer = derElement(der, 0, 0x30);
  if (outer === undefined || outer.end !== der.length) return undefined;
  if (der[outer.start] === 0x30) {
    // SubjectPublicKeyInfo: the algorithm, then a BIT STRING with no unused bits holding the key.
    const algorithmEnd = outer.start + RSA_ENCRYPTION_ALGORITHM.length;
    if (algorithmEnd > outer.end || !der.subarray(outer.start, algorithmEnd).equals(RSA_ENCRYPTION_ALGORITHM)) return undefined;
    const bits = derElement(der, algorithmEnd, 0x03);
    if (bits === undefined || bits.end !== outer.end || bits.start >= bits.end || der[bits.start] !== 0) return undefined;
    key = der.subarray(bits.start + 1, bits.end);
  }
  // RSAPublicKey: SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
  const seq = derElement(key, 0, 0x30);
  if (seq === undefined || seq.end !== key.length) return undefined;
  const modulus = derElement(key, seq.start, 0x02);
  if (modulus === undefined || !positiveInteger(key, modulus)) return undefined;
  const exponent = derElement(key, modulus.end, 0x02);
  if (exponent === undefined || exponent.end !== seq.end || !positiveInteger(key, exponent)) return undefined;
  let first = modulus.start;
  if (key[first] === 0) first++;
  if (modulus.end - first < MIN_FAST_MODULUS_OCTETS || modulus.end - first > MAX_FAST_MODULUS_OCTETS) return undefined;
  // The bits of the top octet (not zero: the encoding is minimal and the modulus positive).
  const topBits = 32 - Math.clz32(key[first]);
  return (modulus.end - first - 1) * 8 + topBits;
}

/** One DER element with tag `tag` at `at`: where its contents start and end, or undefined when it is not one in the shortest form. */
function derElement(der: Buffer, at: number, tag: number): { start: number; end: number } | undefined {
  if (at + 2 > der.length || der[at] !== tag) return undefined;
  let length = der[at + 1];
  let start = at + 2;
  if (length >= 0x80) {
    const octets = length - 0x80;
    // Long form only where the short form cannot say it, with no leading zero octet; at most
    // three octets (16 MB), far beyond anything a TXT record holds.
    if (octets === 0 || octets > 3 || start + octets > der.length || der[start] === 0) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
    if (length < 0x80) return undefined;
    start += octets;
  }
  const end = start + length;
  return end > der.length ? undefined : { start, end };
}

/** Whether an INTEGER's contents are a positive number in the fewest octets. */
function positiveInteger(der: Buffer, e: { start: number; end: number }): boolean {
  if (e.start >= e.end || der[e.start] >= 0x80) return false;
  if (der[e.start] === 0) return e.end - e.start >= 2 && der[e.start + 1] >= 0x80;
  return true;
}

function keyFindings(publicKey: string, keyType: DkimKeyType, name?: string): Finding[] {
  const decoded = decodeKey(publicKey, keyType);
  if (decoded.bits === undefined) {
    return [finding(decoded.rule ?? DKIM_RULES.keyInvalid, decoded.problem ?? 'The key cannot be decoded.', name)];
  }
  if (keyType !== DkimKeyType.RSA) return [];
  const bits = decoded.bits;
  if (bits < 1024) {
    return [finding(DKIM_RULES.rsaUnder1024, `The RSA key is ${bits} bits; the minimum is 1024.`, name)];
  }
  if (bits < 2048) {
    return [finding(DKIM_RULES.rsaUnder2048, `The RSA key is ${bits} bits; use 2048 or more.`, name)];
  }
  if (bits > 4096) {
    return [finding(DKIM_RULES.rsaOver4096, `The RSA key is ${bits} bits; verifiers need only handle up to 4096.`, name)];
  }
  return [];
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The canonical text of a model, written as it is. */
function writeDkim(model: DkimKeyModel): string {
  const tags: string[] = [];
  if (model.version !== undefined) tags.push(`v=${model.version}`);
  if (model.keyType !== undefined) tags.push(`k=${model.keyType}`);
  if (model.hashAlgorithms !== undefined) tags.push(`h=${model.hashAlgorithms.join(':')}`);
  if (model.serviceTypes !== undefined) tags.push(`s=${model.serviceTypes.join(':')}`);
  if (model.flags !== undefined) tags.push(`t=${model.flags.join(':')}`);
  if (model.notes !== undefined) tags.push(`n=${model.notes}`);
  tags.push(`p=${model.publicKey}`);
  for (const t of model.unknownTags ?? []) tags.push(`${t.name}=${t.value}`);
  return tags.join('; ');
}

/** Every rule of RFC 6376 §3.6.1, RFC 8301 and RFC 8463 on a key record. */
function dkimRules(model: DkimKeyModel, options: RecordCheckOptions): Finding[] {
  const name = options.name;
  const findings: Finding[] = [];
  if (model.version !== undefined && model.version !== 'DKIM1') {
    findings.push(finding(DKIM_RULES.version, `The version must be "DKIM1" (case-sensitive); got "v=${model.version}".`, name));
  }
  const seen = new Set<string>(KNOWN_TAGS.filter((t) => t !== 'v' || model.version !== undefined));
  for (const t of model.unknownTags ?? []) {
    if (t.name === 'v' && model.version === undefined && !seen.has('v')) {
      findings.push(finding(DKIM_RULES.version, `"v=${t.value}" must be the first tag; verifiers may reject the record.`, name));
    } else if (seen.has(t.name)) {
      findings.push(finding(DKIM_RULES.duplicateTag, `The tag "${t.name}" appears more than once, which makes the record invalid; got a second "${t.name}=${t.value}".`, name));
    } else if (!TAG_NAME.test(t.name)) {
      findings.push(finding(DKIM_RULES.tagSyntax, `Invalid tag name "${t.name}".`, name));
    } else {
      findings.push(finding(DKIM_RULES.unknownTag, `Verifiers ignore the tag "${t.name}=${t.value}".`, name));
    }
    if (!TAG_VALUE.test(t.value)) {
      findings.push(finding(DKIM_RULES.tagSyntax, `The tag "${t.name}" has a value with characters outside visible ASCII or a ";": got "${t.value}".`, name));
    }
    seen.add(t.name);
  }
  if (model.notes !== undefined && !TAG_VALUE.test(model.notes)) {
    findings.push(finding(DKIM_RULES.tagSyntax, `The notes hold characters outside visible ASCII or a ";": got "n=${model.notes}".`, name));
  }
  const keyType = model.keyType ?? DkimKeyType.RSA;
  if (!Object.values(DkimKeyType).includes(keyType)) {
    findings.push(finding(DKIM_RULES.keyType, `The key type must be "rsa" or "ed25519"; got "k=${keyType}".`, name));
  } else if (model.publicKey === '') {
    findings.push(finding(DKIM_RULES.keyRevoked, 'The key is revoked (empty "p="): signatures with this selector do not verify.', name));
  } else {
    findings.push(...keyFindings(model.publicKey, keyType, name));
  }
  if (model.hashAlgorithms !== undefined && !model.hashAlgorithms.includes('sha256')) {
    const only = model.hashAlgorithms.join(':');
    findings.push(finding(DKIM_RULES.hashAlgorithm,
      only === 'sha1'
        ? 'The key allows only SHA-1 ("h=sha1"), which RFC 8301 forbids: signatures with it do not verify. Remove "h" or write "h=sha256".'
        : `The key does not allow sha256: got "h=${only}".`, name));
  }
  if (model.serviceTypes !== undefined && !model.serviceTypes.some((s) => s === '*' || s === 'email')) {
    findings.push(finding(DKIM_RULES.serviceType, `The key is not for email: got "s=${model.serviceTypes.join(':')}".`, name));
  }
  if (model.flags?.includes('y')) {
    findings.push(finding(DKIM_RULES.testing, 'The "t=y" flag is set: verifiers treat the domain as testing DKIM.', name));
  }
  return findings;
}

/** DKIM key records in the one record-model contract (see `private/record-model.ts`). */
const DKIM_FORMAT: RecordFormat<DkimKeyModel, RecordCheckOptions> = {
  what: 'DKIM key record',
  type: 'TXT',
  parse: (text) => Dkim.parse(text),
  write: writeDkim,
  rules: dkimRules,
  unreadable: DKIM_RULES.tagSyntax,
  txt: { udpSize: false },
};
