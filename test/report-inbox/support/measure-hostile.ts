/**
 * What the hostile mail (support/hostile-mail.ts) costs the inbox function: parse up to the
 * message's row bound, build the rows, serialise them up to its byte bound. Run under
 * `/usr/bin/time -v` for the peak memory:
 *
 *   npx esbuild --bundle test/report-inbox/support/measure-hostile.ts --platform=node --outfile=/tmp/measure-hostile.js
 *   /usr/bin/time -v node /tmp/measure-hostile.js
 *
 * `MAX_ROWS_PER_MESSAGE` and `MAX_BYTES_PER_MESSAGE` set the bounds as for the function;
 * `UNBOUNDED=1` reads every row, as the function did before it had bounds.
 */
import { hostileMail } from './hostile-mail';
import { linesWithin } from '../../../src/report-inbox/handler/bounds';
import { parseReportMessage, partitionDomain, reportObjects } from '../../../src/reports';
import { INBOX_DEFAULTS } from '../../../src/reports/limits';

const unbounded = process.env.UNBOUNDED === '1';
const maxRows = unbounded ? Infinity : Number(process.env.MAX_ROWS_PER_MESSAGE ?? INBOX_DEFAULTS.maxRowsPerMessage);
let bytesLeft = unbounded ? Infinity : Number(process.env.MAX_BYTES_PER_MESSAGE ?? INBOX_DEFAULTS.maxBytesPerMessage);
const raw = hostileMail();
const domains = ['dept.gov.uk', 'reports.dept.gov.uk'];
const start = process.hrtime.bigint();
const outcome = parseReportMessage(raw, { domains, maxRows });
let rows = 0;
let bytes = 0;
let dropped = 0;
for (const found of outcome.reports) {
  dropped += found.rowsDropped ?? 0;
  const context = { messageKey: 'raw/hostile', receivedAt: new Date().toISOString(), partitionFor: (d: string) => partitionDomain(d, domains) };
  for (const obj of reportObjects(found.report, context)) {
    const lines = linesWithin(obj.rows, bytesLeft);
    rows += lines.lines.length;
    bytes += lines.bytes;
    bytesLeft -= lines.bytes;
    dropped += lines.droppedForBytes;
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const result = { mailBytes: raw.length, reports: outcome.reports.length, rows, rowsDropped: dropped, parsedBytes: bytes, ms: Math.round(ms) };
// eslint-disable-next-line no-console
console.log(JSON.stringify(result));
