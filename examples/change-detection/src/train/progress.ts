/**
 * A one-line progress bar with an ETA, redrawn in place with '\r' on a terminal. Small enough that
 * a dependency is not worth it. When the stream is not a terminal (CI, a pipe, a log file), it
 * prints a plain line at most every `plainEvery` fraction of the work instead of redrawing.
 *
 * The ETA extrapolates the rate of this process's own steps (a resumed run does not count the
 * steps it skipped).
 */
export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
  /** Minimum milliseconds between two redraws on a terminal. */
  minInterval?: number;
  /** Fraction of the work between two plain lines when not on a terminal. */
  plainEvery?: number;
}

/** "42s", "3:07", "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export interface StepLimits {
  /** Aborting stops training at the next step boundary. */
  signal?: AbortSignal | undefined;
  /** Stop after this many training steps in this call (simulates an interruption). */
  maxSteps?: number | undefined;
  /** Where the bar goes (default stderr; null for none). */
  progressStream?: ProgressStream | null | undefined;
}

/** A run's bar and the hooks each training step calls; set `detail` to say what runs. */
export interface TrainingProgress {
  bar: Progress;
  detail: string;
  hooks: { shouldStop(): boolean; onStep(): void };
}

/** The bar of `total` steps still to do (`offset` done before a resume), stopping on abort or after `maxSteps`. */
export function trainingProgress(total: number, offset: number, o: StepLimits): TrainingProgress {
  const stream = o.progressStream === null ? { write: () => true } : (o.progressStream ?? process.stderr);
  let steps = 0;
  const t: TrainingProgress = {
    bar: new Progress(total, offset, { stream }),
    detail: '',
    hooks: {
      shouldStop: () => (o.signal?.aborted ?? false) || (o.maxSteps !== undefined && steps >= o.maxSteps),
      onStep: () => {
        steps++;
        t.bar.tick(1, t.detail);
      },
    },
  };
  return t;
}

export class Progress {
  private done = 0;
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastPlain = 0;
  private detail = '';
  private drawn = false;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly plainEvery: number;

  /** `total` steps remain for this process; `offset` were already done before (resume). */
  constructor(private readonly total: number, private readonly offset = 0, options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    this.minInterval = options.minInterval ?? 100;
    this.plainEvery = options.plainEvery ?? 0.1;
    this.started = this.now();
  }

  /** Records `n` finished steps; `detail` says what is running (e.g. "epoch 2/8 · seed 1 · ce"). */
  tick(n = 1, detail?: string): void {
    this.done += n;
    if (detail !== undefined) this.detail = detail;
    this.render(false);
  }

  /** Prints a line above the bar without losing it. */
  log(line: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}\n`);
      this.render(true);
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** The bar's text for the current state. */
  line(width = 24): string {
    const all = this.total + this.offset;
    const doneAll = this.done + this.offset;
    const frac = all > 0 ? Math.min(1, doneAll / all) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (this.now() - this.started) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : Number.NaN;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
    const parts = [`${bar} ${pct}`, `${doneAll}/${all} steps`, `${formatDuration(elapsed)} elapsed`, `ETA ${formatDuration(eta)}`];
    if (this.detail) parts.push(this.detail);
    return parts.join(' · ');
  }

  /** Clears the bar (on a terminal) and ends its line. */
  finish(): void {
    if (this.stream.isTTY && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private render(force: boolean): void {
    const t = this.now();
    if (this.stream.isTTY) {
      if (!force && t - this.lastDraw < this.minInterval && this.done < this.total) return;
      this.lastDraw = t;
      const cols = this.stream.columns ?? 120;
      this.stream.write(`\r\x1b[2K${this.line().slice(0, Math.max(20, cols - 1))}`);
      this.drawn = true;
      return;
    }
    const frac = this.total > 0 ? this.done / this.total : 1;
    if (force || frac - this.lastPlain >= this.plainEvery || (this.done === this.total && this.lastPlain < 1)) {
      this.lastPlain = frac;
      this.stream.write(`${this.line()}\n`);
    }
  }
}
