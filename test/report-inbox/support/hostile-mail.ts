/**
 * The hostile report mail: about 315 KB of mail, two gzip attachments, each a DMARC report of
 * about 79,000 identical records that is just under the per-report limit once decompressed.
 * Every limit of the parser is respected, yet read whole it gives about 158,000 rows (about
 * 98 MB of JSON lines), seconds of parsing and most of a GiB of memory.
 */
import { gzipSync } from 'node:zlib';
import { mail } from './mail';
import { DEFAULT_LIMITS } from '../../../src/reports/limits';

/** One record of the hostile report: a failing source, so every row would count in the alarms. */
const RECORD = [
  '<record><row><source_ip>203.0.113.9</source_ip><count>1</count>',
  '<policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>',
  '<identifiers><header_from>dept.gov.uk</header_from></identifiers>',
  '<auth_results><spf><domain>dept.gov.uk</domain><result>fail</result></spf></auth_results></record>',
].join('');

/** A DMARC report with `records` records, about `domain`. */
export function hostileReport(records: number, options: { domain?: string; reportId?: string; orgName?: string; email?: string } = {}): string {
  const domain = options.domain ?? 'dept.gov.uk';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feedback>',
    `<report_metadata><org_name>${options.orgName ?? 'reporter.example'}</org_name><email>${options.email ?? 'dmarc@reporter.example'}</email>`,
    `<report_id>${options.reportId ?? 'hostile-1'}</report_id><date_range><begin>1777593600</begin><end>1777680000</end></date_range></report_metadata>`,
    `<policy_published><domain>${domain}</domain><p>reject</p></policy_published>`,
    RECORD.replace(/dept\.gov\.uk/g, domain).repeat(records),
    '</feedback>',
  ].join('\n');
}

/** How many records fit in one report under the per-report limit. */
export const HOSTILE_RECORDS = Math.floor((DEFAULT_LIMITS.maxReportBytes - 1024) / RECORD.length);

/** The hostile mail: two gzip attachments of `HOSTILE_RECORDS` records each, with extra headers (SES's) on top. */
export function hostileMail(headers: string[] = []): Buffer {
  const parts = [1, 2].map((n) => ({
    contentType: 'application/gzip',
    filename: `reporter.example!dept.gov.uk!1777593600!1777680000!${n}.xml.gz`,
    data: gzipSync(hostileReport(HOSTILE_RECORDS, { reportId: `hostile-${n}` }), { level: 9 }),
  }));
  const body = mail({ parts });
  return headers.length === 0 ? body : Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n'), body]);
}
