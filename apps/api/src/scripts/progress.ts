/**
 * A plain-text progress line on stderr: `listings 120,000/1,000,000 (12%) 8,400/s eta 1m45s`.
 * On a terminal it redraws in place about four times a second; into a file or pipe it writes a
 * line every two seconds, so logs stay short.
 */
export type Progress = {
  /** `total` changes the goal (a second pass of a job). */
  update(done: number, total?: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
};

const number = new Intl.NumberFormat('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

export function progressLine(label: string, done: number, total: number, elapsedSeconds: number): string {
  const rate = done / Math.max(elapsedSeconds, 0.001);
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  const eta =
    done >= total
      ? `done in ${formatDuration(elapsedSeconds)}`
      : `eta ${formatDuration((total - done) / rate)}`;
  return `${label} ${number.format(done)}/${number.format(total)} (${percent}%) ${number.format(Math.round(rate))}/s ${eta}`;
}

export function createProgress(
  label: string,
  initialTotal: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  // The clock starts at the first update: set-up before it does not count in the rate.
  let started: number | null = null;
  const tty = Boolean(stream.isTTY);
  const interval = tty ? 250 : 2000;
  let total = initialTotal;
  let done = 0;
  let drawnAt = 0;
  let width = 0;
  const draw = (final: boolean) => {
    drawnAt = performance.now();
    const line = progressLine(label, done, total, (drawnAt - (started ?? drawnAt)) / 1000);
    if (tty) {
      stream.write(`\r${line.padEnd(width)}${final ? '\n' : ''}`);
      width = line.length;
    } else {
      stream.write(`${line}\n`);
    }
  };
  return {
    update(value, newTotal) {
      started ??= performance.now();
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (performance.now() - drawnAt >= interval) draw(false);
    },
    finish() {
      draw(true);
    },
  };
}
