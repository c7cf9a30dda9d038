/**
 * The bounds on what one message may store: rows and parsed bytes per message, then per reporter
 * per day. Rows are serialised one at a time and serialisation stops at the bound, so rows past
 * it are never turned into text.
 */

/** A report object's rows as JSON lines, up to the bounds left for its message. */
export interface BoundedLines {
  /** One JSON line (with its newline) per row kept. */
  readonly lines: string[];
  /** The UTF-8 size of each line. */
  readonly sizes: number[];
  readonly bytes: number;
  /** Rows not kept because the message's byte bound was reached. */
  readonly droppedForBytes: number;
}

/** Serialise rows in order until the next would not fit in `bytesLeft`. */
export function linesWithin(rows: Array<Record<string, unknown>>, bytesLeft: number): BoundedLines {
  const lines: string[] = [];
  const sizes: number[] = [];
  let bytes = 0;
  for (const row of rows) {
    const line = `${JSON.stringify(row)}\n`;
    const size = Buffer.byteLength(line);
    if (bytes + size > bytesLeft) break;
    lines.push(line);
    sizes.push(size);
    bytes += size;
  }
  return { lines, sizes, bytes, droppedForBytes: rows.length - lines.length };
}

/** The longest prefix of lines within so many rows and bytes. */
export function prefixWithin(sizes: number[], rowsLeft: number, bytesLeft: number): { rows: number; bytes: number } {
  let rows = 0;
  let bytes = 0;
  while (rows < sizes.length && rows < rowsLeft && bytes + sizes[rows] <= bytesLeft) {
    bytes += sizes[rows];
    rows++;
  }
  return { rows, bytes };
}
