/**
 * MTA-STS policy bodies plainly embedded in a CloudFront Function's code: string literals that
 * hold `version: STSv1`, each keyed by the host name before it when the code is a map
 * (`{ "mta-sts.dept.gov.uk": "version: STSv1\r\n…" }`). Bodies that are built at run time
 * (joined lines, a KeyValueStore) are not found, and are then reported as not evaluated.
 */
import { policiesInPolicyHostCode } from '../records/private/mta-sts-host-code';

/** A policy body found in function code. */
export interface EmbeddedMtaStsPolicy {
  /** The host or domain the code keys the body by, lower case, when it does. */
  readonly host?: string;
  /** The policy body, its escapes decoded. */
  readonly body: string;
}

const POLICY_MARKER = /version[ \t]*:[ \t]*STSv1/;
const HOST = /^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$/;

interface Literal {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/**
 * The MTA-STS policy bodies a piece of JavaScript holds as string literals.
 *
 * @param code a CloudFront Function's code
 */
export function mtaStsPoliciesInCode(code: string): EmbeddedMtaStsPolicy[] {
  // MtaStsPolicyHost's own code keeps its policies in one data line: read it exactly.
  const hosted = policiesInPolicyHostCode(code);
  if (hosted !== undefined) {
    return hosted.map((p) => ({ host: `mta-sts.${p.domain}`, body: p.body }));
  }
  const literals = stringLiterals(code);
  const out: EmbeddedMtaStsPolicy[] = [];
  literals.forEach((lit, i) => {
    if (!POLICY_MARKER.test(lit.value)) return;
    const prev = i > 0 ? literals[i - 1] : undefined;
    const between = prev === undefined ? '' : code.slice(prev.end, lit.start);
    const keyed = prev !== undefined && /^\s*[:,]\s*$/.test(between) && HOST.test(prev.value);
    out.push(keyed ? { host: prev!.value.toLowerCase().replace(/\.$/, ''), body: lit.value } : { body: lit.value });
  });
  return out;
}

/** String literals ('…', "…", `…`) outside comments, with their escapes decoded. */
function stringLiterals(code: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      const nl = code.indexOf('\n', i);
      i = nl < 0 ? code.length : nl;
      continue;
    }
    if (c === '/' && code[i + 1] === '*') {
      const close = code.indexOf('*/', i + 2);
      i = close < 0 ? code.length : close + 2;
      continue;
    }
    if (c === '"' || c === '\'' || c === '`') {
      const start = i;
      let value = '';
      i++;
      while (i < code.length && code[i] !== c) {
        if (code[i] === '\\' && i + 1 < code.length) {
          const decoded = decodeEscape(code, i + 1);
          value += decoded.text;
          i = decoded.next;
          continue;
        }
        if (c !== '`' && code[i] === '\n') break;
        value += code[i];
        i++;
      }
      i++;
      out.push({ start, end: i, value });
      continue;
    }
    i++;
  }
  return out;
}

function decodeEscape(code: string, at: number): { text: string; next: number } {
  const e = code[at];
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };
  if (e in simple && !(e === '0' && /[0-9]/.test(code[at + 1] ?? ''))) return { text: simple[e], next: at + 1 };
  if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(code.slice(at + 1, at + 3))) {
    return { text: String.fromCharCode(parseInt(code.slice(at + 1, at + 3), 16)), next: at + 3 };
  }
  if (e === 'u') {
    const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(code.slice(at + 1));
    if (braced) return { text: String.fromCodePoint(parseInt(braced[1], 16)), next: at + 1 + braced[0].length };
    if (/^[0-9a-fA-F]{4}$/.test(code.slice(at + 1, at + 5))) {
      return { text: String.fromCharCode(parseInt(code.slice(at + 1, at + 5), 16)), next: at + 5 };
    }
  }
  if (e === '\r' && code[at + 1] === '\n') return { text: '', next: at + 2 };
  if (e === '\n' || e === '\r') return { text: '', next: at + 1 };
  return { text: e, next: at + 1 };
}
