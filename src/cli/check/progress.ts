/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal: piped or redirected
 * output stays clean, and stdout (the report) is never touched.
 */
export interface Progress {
  update(done: number, total: number): void;
  /** Erase the bar. */
  end(): void;
}

const WIDTH = 30;
const INTERVAL_MS = 100;

export function progressBar(stream: { readonly isTTY?: boolean; write(text: string): unknown }): Progress {
  if (stream.isTTY !== true) {
    return { update: () => undefined, end: () => undefined };
  }
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < INTERVAL_MS) return;
      last = now;
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} domains`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
