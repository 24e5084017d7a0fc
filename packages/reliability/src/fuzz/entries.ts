/** Every fuzz entry, by package: the names the packages export, each with its cases or a reason to skip. */
import { ENGINE } from './core-engine.js';
import { ELEMENTWISE } from './core-elementwise.js';
import { LOSSES } from './core-losses.js';
import { MISC } from './core-misc.js';
import { MORE_LOSSES, MORE_OPS } from './core-more-ops.js';
import { SHAPE } from './core-shape.js';
import { SPATIAL } from './core-spatial.js';
import type { FuzzEntry } from './harness.js';
import { NN } from './nn-entries.js';

export const CORE_ENTRIES: Record<string, FuzzEntry> = { ...ELEMENTWISE, ...SHAPE, ...SPATIAL, ...MORE_OPS, ...LOSSES, ...MORE_LOSSES, ...MISC, ...ENGINE };
export const NN_ENTRIES: Record<string, FuzzEntry> = NN;

const OPTIMISERS = ['Optimizer', 'SGD', 'Adam', 'AdamW', 'LRScheduler', 'StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'clipGradNorm', 'clipGradValue'];
const FILES = ['serialize', 'deserialize', 'save', 'load', 'loadFile', 'writeFileAtomic'];

/** The group an entry's counts are printed under (issue 14's table: ops, losses, layers, optimisers, class weights, …). */
export function groupOf(pkg: 'core' | 'nn', name: string): string {
  if (pkg === 'core') {
    if (name === 'classWeights') return 'class weights';
    if (name in LOSSES || name in MORE_LOSSES) return 'losses';
    if (name in MISC || name in ENGINE) return 'creation, tensors, engine';
    return 'ops';
  }
  if (OPTIMISERS.includes(name)) return 'optimisers, schedulers';
  if (FILES.includes(name)) return 'serialization';
  return 'layers, init, metrics, models';
}
