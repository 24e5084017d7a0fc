/**
 * What other examples reuse from this one, imported as `@tessera/example-change-detection/kit`
 * (examples/land-cover does): the run machinery (progress bar, run-folder lock, atomic writes,
 * training-state checkpoints for --resume, Ctrl-C-friendly yields, usage errors), the report's
 * pieces (tables, Vega-Lite rendering to SVG, PNG encoding, mean ± std over seeds) and the
 * synthetic aerial scenes (layout, rendering, acquisition). One place, so nothing is copied.
 */
export { Progress, formatDuration, trainingProgress, type ProgressStream, type ProgressOptions, type StepLimits, type TrainingProgress } from './train/progress.js';
export { acquireRunLock, withRunLock, folderError, type RunLock } from './train/run-lock.js';
export { saveTrainingState, loadTrainingState } from './train/checkpoint.js';
export type { Optim } from './train/model.js';
export { inRunFolder, runPaths, unitName, writeJson, type UnitCounters } from './train/run-state.js';
export { inEvalMode } from './train/evaluate.js';
export type { TrainingRow } from './train/metrics.js';
export { UsageError, usage } from './train/errors.js';
export { yieldToEvents } from './train/events.js';
export { estimateSeconds, type Timing, type Work } from './train/estimate.js';
export { stat, formatStat, type Stat } from './train/summary.js';
export { listenForCtrlC, num, timestamp } from './commands/train.js';
export { makeFolder } from './io/folders.js';
export { writeFileAtomic, encodeRgbPng } from './io/png.js';
export { renderSvg } from './report/charts.js';
export { dataUri } from './report/html.js';
export { composeGrid, upscale, type Tile } from './report/grid.js';
export { escapeHtml, renderHtml, renderText, type Table } from './report/table.js';
export { generateScene, type Scene, type Region, type Building, type Road, type Tree, type Rgb } from './data/scene.js';
export { render } from './data/render.js';
export { acquire, drawAcquisitions, type Acquisition } from './data/nuisance.js';
export { mix32, pairSeed, type Split as SplitName } from './data/noise.js';
export type { Rect } from './data/grid.js';
export type { TopLevelSpec } from 'vega-lite';
