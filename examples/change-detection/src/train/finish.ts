/**
 * The end of a run (complete or interrupted): the test split scored with each variant and seed's
 * best checkpoint (complete runs only), the prediction grid from the first seed's best checkpoints,
 * and the report.
 */
import { existsSync } from 'node:fs';
import { collate } from '@tessera/data';
import { batchTensors } from './batches.js';
import { yieldToEvents } from './events.js';
import { loadCheckpoint } from './checkpoint.js';
import { evaluate, predictMasks } from './evaluate.js';
import { makeLoss } from './losses.js';
import type { TestRow } from './metrics.js';
import { runPaths } from './run-state.js';
import type { RunSetup } from './setup.js';
import { pickGridPairs, predictionTile, truthTile, type Tile } from '../report/grid.js';
import { writeReport, type GridInput, type ReportOutput } from '../report/write.js';
import { setupLines } from './setup.js';

/** Scores every best checkpoint on the test split. */
export async function testBestCheckpoints(runDir: string, s: RunSetup, evalBatchSize: number, onBatch?: () => void): Promise<TestRow[]> {
  const paths = runPaths(runDir);
  const rows: TestRow[] = [];
  for (const u of s.units) {
    const { variant, seed } = u.progress;
    const path = paths.best(variant, seed);
    if (!existsSync(path)) continue;
    await yieldToEvents(); // a Ctrl-C during the test scores is seen (see events.ts)
    const { model, meta } = loadCheckpoint(path);
    const loss = makeLoss(variant, s.config, s.weights);
    const ev = evaluate(model, s.data.test, loss, { batchSize: evalBatchSize, bins: s.config.prBins, ...(onBatch ? { onBatch } : {}) });
    rows.push({ variant, seed, epoch: meta.epoch, ...ev.scores, pr: ev.pr });
  }
  return rows;
}

/** The grid's tiles: t1 | t2 | truth | each variant's prediction (first seed's best checkpoint). */
export function predictionGrid(runDir: string, s: RunSetup): GridInput | null {
  const { val } = s.data;
  const size = val.size;
  const hasChange = Array.from({ length: val.pairs.length }, (_, i) => val.pairs.get(i).mask.data.some((v) => v === 1));
  const pairs = pickGridPairs(hasChange, s.config.gridPairs);
  if (pairs.length === 0) return null;
  const samples = pairs.map((i) => val.pairs.get(i));
  const seed = s.seeds[0]!;
  const batch = batchTensors(collate(samples));
  const columns = ['t1', 't2', 'truth'];
  const predictions: Int32Array[][] = [];
  for (const variant of s.config.variants) {
    const path = runPaths(runDir).best(variant, seed);
    if (!existsSync(path)) continue;
    const { model, meta } = loadCheckpoint(path);
    predictions.push(predictMasks(model, (m) => m.forward(batch.t1, batch.t2)));
    columns.push(`${variant} (seed ${seed}, epoch ${meta.epoch})`);
  }
  const rows: Tile[][] = samples.map((p, k) => {
    const truth = p.mask.data;
    return [
      p.t1.data.slice(),
      p.t2.data.slice(),
      truthTile(truth, size),
      ...predictions.map((pred) => predictionTile(pred[k]!, truth, size)),
    ];
  });
  return {
    size, columns, rows, pairs,
    caption: 'Truth: red = change. Predictions (argmax): red = correct change, yellow = false alarm, blue = missed change.',
  };
}

export interface FinishOptions {
  runDir: string;
  setup: RunSetup;
  complete: boolean;
  status: string;
  evalBatchSize: number;
  onBatch?: () => void;
}

/** Writes the report (and, for a complete run, scores the test split first). */
export async function finishRun(o: FinishOptions): Promise<ReportOutput & { testRows: TestRow[] }> {
  const testRows = o.complete ? await testBestCheckpoints(o.runDir, o.setup, o.evalBatchSize, o.onBatch) : [];
  const out = await writeReport({
    runDir: o.runDir,
    config: o.setup.config,
    seeds: o.setup.seeds,
    rows: o.setup.progress.rows,
    testRows,
    status: o.status,
    setup: setupLines(o.setup),
    weights: o.setup.weights,
    grid: predictionGrid(o.runDir, o.setup),
  });
  return { ...out, testRows };
}
