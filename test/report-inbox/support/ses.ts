/**
 * What SES writes above a message it stores with the S3 action: its Received line, spam and
 * virus verdicts, Received-SPF and Authentication-Results (authserv-id amazonses.com), folded as
 * SES folds them.
 */

/** What SES found. */
export interface SesFindings {
  /** The DKIM signatures checked: the signing domain and the result. */
  readonly dkim?: Array<{ domain: string; result: string }>;
  /** The SPF result for the envelope sender. @default 'none' */
  readonly spf?: string;
  /** The envelope sender. @default the From address */
  readonly envelopeFrom?: string;
  /** The DMARC result SES writes. @default pass when a DKIM signature passed, else fail */
  readonly dmarc?: string;
  /** @default 'PASS' */
  readonly spam?: string;
  /** @default 'PASS' */
  readonly virus?: string;
}

/** The header lines SES puts above a message from `from` (an address). */
export function sesHeaders(from: string, found: SesFindings): string[] {
  const fromDomain = from.slice(from.lastIndexOf('@') + 1);
  const envelope = found.envelopeFrom ?? from;
  const envelopeDomain = envelope.slice(envelope.lastIndexOf('@') + 1);
  const spf = found.spf ?? 'none';
  const spfText = `${spf} (spfCheck: domain of ${envelopeDomain} ${spf === 'pass' ? 'designates' : 'does not designate'} 192.0.2.25 as permitted sender) client-ip=192.0.2.25; envelope-from=${envelope}; helo=mail.${envelopeDomain};`;
  const dkim = found.dkim ?? [];
  const dmarc = found.dmarc ?? (dkim.some((d) => d.result === 'pass') ? 'pass' : 'fail');
  return [
    `Return-Path: <${envelope}>`,
    `Received: from mail.${envelopeDomain} (mail.${envelopeDomain} [192.0.2.25])`,
    ' by inbound-smtp.eu-west-2.amazonaws.com with SMTP id 0abcdef0123456789',
    ' for dmarc@reports.dept.gov.uk;',
    ' Sat, 02 May 2026 02:00:00 +0000 (UTC)',
    `X-SES-Spam-Verdict: ${found.spam ?? 'PASS'}`,
    `X-SES-Virus-Verdict: ${found.virus ?? 'PASS'}`,
    `Received-SPF: ${spfText}`,
    'Authentication-Results: amazonses.com;',
    ` spf=${spfText}`,
    ...(dkim.length === 0 ? [' dkim=none header.i=unknown;'] : dkim.map((d) => ` dkim=${d.result} header.i=@${d.domain};`)),
    ` dmarc=${dmarc} header.from=${fromDomain};`,
    'X-SES-RECEIPT: AEFBQUFBQUFBQUFFdGVzdA==',
    'X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; b=dGVzdA==; c=relaxed/simple; s=ug7nbtf4gccmlpwj322ax3p6ow6yfsug; d=amazonses.com; t=1777687200; v=1; bh=dGVzdA==; h=From:To:Cc:Bcc:Subject:Date:Message-ID:MIME-Version:Content-Type:X-SES-RECEIPT;',
  ];
}

/** A message as SES stores it: its headers on top. */
export function delivered(raw: Buffer, found: SesFindings, from: string = fromOf(raw)): Buffer {
  return Buffer.concat([Buffer.from(sesHeaders(from, found).join('\r\n') + '\r\n'), raw]);
}

/** Delivered with a DKIM signature that passed for the From domain: what a real reporter's mail looks like. */
export function authentic(raw: Buffer): Buffer {
  const from = fromOf(raw);
  return delivered(raw, { dkim: [{ domain: from.slice(from.lastIndexOf('@') + 1), result: 'pass' }], spf: 'pass' }, from);
}

/** The From address of a raw message. */
export function fromOf(raw: Buffer): string {
  const m = /^From:[^\r\n]*?([^\s<>"]+@[^\s<>"]+)/im.exec(raw.subarray(0, 8192).toString('latin1'));
  if (m === null) throw new Error('The message has no From address');
  return m[1];
}
