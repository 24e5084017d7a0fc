/** Every fuzz entry, by package: the names the packages export, each with its cases or a reason to skip. */
import { ENGINE } from './core-engine.js';
import { ELEMENTWISE } from './core-elementwise.js';
import { LOSSES } from './core-losses.js';
import { MISC } from './core-misc.js';
import { SHAPE } from './core-shape.js';
import { SPATIAL } from './core-spatial.js';
import type { FuzzEntry } from './harness.js';
import { NN } from './nn-entries.js';

export const CORE_ENTRIES: Record<string, FuzzEntry> = { ...ELEMENTWISE, ...SHAPE, ...SPATIAL, ...LOSSES, ...MISC, ...ENGINE };
export const NN_ENTRIES: Record<string, FuzzEntry> = NN;
