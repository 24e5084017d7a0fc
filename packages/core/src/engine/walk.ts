/**
 * The backward walk shared by `backward` and `grad`: the nodes reachable from the roots in
 * topological order (an explicit stack, so deep graphs do not overflow), then each node's backward
 * called once with the sum of its upstream gradients. Here, once, for every op: the saved tensors'
 * versions are checked, each returned gradient is summed down to its input's shape, checked, cast to
 * the input's dtype and added to what that input already received. With `createGraph` all of it runs
 * with grad mode on and through ops, so the gradients are themselves differentiable.
 */
import { isFloatDType, releaseStorage, trackAllocations, type TypedArray } from '../dtype.js';
import { opTimer } from '../profiler.js';
import type { Tensor } from '../tensor.js';
import { accumulateGrad, addGrads, unbroadcast } from './accumulate.js';
import { checkBackward, checkChecksums, inBackwardOf } from './anomaly.js';
import { flags } from './grad-mode.js';
import { type GradNode, isBuiltInOp, markPlainGrad, outputIndexOf } from './node.js';
import { versionOf } from './versions.js';

export interface WalkOptions {
  createGraph: boolean;
  retainGraph: boolean;
  /** The tensors whose gradients are wanted (null: every leaf that requires grad). */
  targets: readonly Tensor[] | null;
  /** true: add the gradients into `.grad` (backward); false: return them (grad). */
  accumulate: boolean;
}

/** Nodes reachable from the roots, each after every node that consumes its outputs. */
function topoOrder(roots: readonly Tensor[]): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>();
  const stack: [GradNode, number][] = [];
  for (const r of roots) {
    if (!r.gradFn || visited.has(r.gradFn)) continue;
    visited.add(r.gradFn);
    stack.push([r.gradFn, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1] = i + 1;
        const child = node.inputs[i]!.gradFn;
        if (child && !visited.has(child)) {
          visited.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

function checkVersions(node: GradNode): void {
  const saved = node.saved!;
  const versions = node.savedVersions!;
  for (let k = 0; k < saved.length; k++) {
    const now = versionOf(saved[k]!);
    if (now !== versions[k]) {
      throw new Error(
        `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
          `${node.describeSaved(k)}, saved by op '${node.op}', is at version ${now}; expected version ${versions[k]}. ` +
          `Modify a copy instead (x.clone()), or change it after the backward (an optimiser step between forward and ` +
          `backward does this to a parameter)`,
      );
    }
  }
}

/** Runs the backward of the graph behind `roots` from `seeds` (one per root); returns the wanted gradients. */
export function walk(roots: readonly Tensor[], seeds: readonly Tensor[], o: WalkOptions): Map<Tensor, Tensor> {
  const captured = new Map<Tensor, Tensor>();
  const targets = o.targets ? new Set(o.targets) : null;
  const order = topoOrder(roots);
  // With targets, run only the nodes through which a gradient reaches one.
  let leads: Set<GradNode> | null = null;
  const captureAt = new Map<GradNode, Tensor[]>();
  if (targets) {
    leads = new Set();
    for (let n = order.length - 1; n >= 0; n--) {
      const node = order[n]!;
      if (node.inputs.some((x) => targets.has(x) || (x.gradFn !== null && leads!.has(x.gradFn)))) leads.add(node);
    }
    for (const t of targets) if (t.gradFn) captureAt.set(t.gradFn, [...(captureAt.get(t.gradFn) ?? []), t]);
  }
  const wanted = (x: Tensor): boolean =>
    x.requiresGrad && (targets === null || targets.has(x) || (x.gradFn !== null && leads!.has(x.gradFn)));
  const pending = new Map<GradNode, (Tensor | null)[]>();
  const reuse = o.createGraph || o.retainGraph || flags.anomaly ? null : new Reuse(pending);
  const deliverLeaf = (x: Tensor, g: Tensor, owned: boolean): void => {
    if (targets !== null && !targets.has(x)) return;
    if (o.accumulate) accumulateGrad(x, g, owned);
    else captured.set(x, captured.has(x) ? addGrads(captured.get(x)!, g) : g);
    if (!o.accumulate || owned) reuse?.keep(g.data);
  };
  const deliver = (x: Tensor, g: Tensor): void => {
    const node = x.gradFn!;
    let slots = pending.get(node);
    if (!slots) pending.set(node, (slots = node.outputs === 1 ? [null] : new Array<Tensor | null>(node.outputs).fill(null)));
    const k = outputIndexOf(x);
    const prev = slots[k];
    if (!prev) {
      slots[k] = g;
      return;
    }
    const sum = addGrads(prev, g);
    slots[k] = sum;
    reuse?.summed(sum.data, prev.data, g.data);
  };
  const prevMode = flags.grad;
  flags.grad = o.createGraph;
  try {
    roots.forEach((r, i) => (r.gradFn ? deliver(r, seeds[i]!) : deliverLeaf(r, seeds[i]!, false)));
    for (const node of order) {
      const gs = pending.get(node);
      pending.delete(node);
      if (!gs) continue;
      const captures = captureAt.size > 0 ? captureAt.get(node) : undefined;
      if (captures) {
        for (const t of captures) {
          const g = gs[outputIndexOf(t)];
          if (g) deliverLeaf(t, g, false);
        }
      }
      if (leads && !leads.has(node)) continue;
      const created = runNode(node, gs, wanted, deliver, deliverLeaf);
      if (!o.retainGraph) node.release();
      reuse?.ran(node, gs, created);
    }
  } finally {
    flags.grad = prevMode;
  }
  if (!o.createGraph) for (const g of captured.values()) markPlainGrad(g);
  return captured;
}

function invoke(node: GradNode, gs: readonly (Tensor | null)[], needs: readonly boolean[]): readonly (Tensor | null)[] {
  return node.backward ? node.backward(gs[0]!, needs) : node.backwardMulti!(gs, needs);
}

/** Runs one node's backward and delivers its gradients; returns the arrays it allocated. */
function runNode(
  node: GradNode, gs: readonly (Tensor | null)[], wanted: (x: Tensor) => boolean,
  deliver: (x: Tensor, g: Tensor) => void, deliverLeaf: (x: Tensor, g: Tensor, owned: boolean) => void,
): Set<TypedArray> {
  if (node.released) {
    throw new Error(
      `backward: trying to backward through the graph a second time (op '${node.op}'); its saved tensors ` +
        `were freed by the first backward. Pass { retainGraph: true } to the first backward`,
    );
  }
  checkVersions(node);
  if (node.checksums) checkChecksums(node);
  const needs = node.inputs.map(wanted);
  // Arrays allocated by this step (the closure, un-broadcasting, casts): a gradient that is one of
  // them and that no other input's gradient shares belongs to nobody else, so a leaf may keep it.
  const created = new Set<TypedArray>();
  const outer = trackAllocations(created);
  const gis: (Tensor | null)[] = [];
  const timer = opTimer();
  timer?.backwardNode(node.op, true);
  try {
    const results = flags.anomaly ? inBackwardOf(node, () => invoke(node, gs, needs)) : invoke(node, gs, needs);
    if (results.length !== node.inputs.length) {
      throw new Error(`${node.op} backward: returned ${results.length} gradients for ${node.inputs.length} inputs`);
    }
    for (let i = 0; i < results.length; i++) {
      const input = node.inputs[i]!;
      const r = results[i];
      if (!needs[i] || r === null || r === undefined) { gis.push(null); continue; }
      if (!isFloatDType(r.dtype)) {
        throw new Error(`${node.op} backward: gradient for input ${i} has dtype ${r.dtype}; gradients must be float`);
      }
      let gi = unbroadcast(node.op, i, r, input.shape);
      if (gi.dtype !== input.dtype) gi = gi.to(input.dtype);
      if (flags.anomaly) checkBackward(node, i, gi, gs);
      gis.push(gi);
    }
  } finally {
    trackAllocations(outer);
  }
  for (let i = 0; i < gis.length; i++) {
    let gi = gis[i];
    if (!gi) continue;
    const input = node.inputs[i]!;
    if (input.gradFn) {
      deliver(input, gi);
    } else {
      const data = gi.data;
      const shared = gis.some((o, j) => j !== i && o !== null && o.data === data);
      // Under createGraph a gradient handed to two leaves is cloned, so each .grad is its own tensor.
      if (gi.requiresGrad && gis.some((o, j) => j !== i && o === gi)) gi = gi.clone();
      deliverLeaf(input, gi, created.has(data) && !shared);
    }
  }
  timer?.backwardNode(node.op, false);
  return created;
}

const overlaps = (a: TypedArray, b: TypedArray): boolean =>
  a === b || (a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength);

/**
 * Gives the storage of the walk's own intermediates back as soon as they are consumed, instead of
 * leaving it to the garbage collector (the wasm heap then reuses the blocks at once, warm in cache,
 * and forces fewer collections). An array qualifies when a node of Tessera's own ops allocated it
 * (the engine's sums too) and no user closure saw it: each built-in node's upstream gradients once
 * it has run, its temporaries, the two terms of a sum. It is freed only when no pending gradient
 * and nothing handed to a leaf (`.grad`, grad()'s results) shares its memory. Off under createGraph
 * and retainGraph (gradients may be part of a graph) and in anomaly mode.
 */
const MAX_PENDING = 64;

class Reuse {
  /** Arrays built-in nodes (or sums) made that are still held by a pending gradient. */
  private readonly made = new Set<TypedArray>();
  /** Arrays given to leaves or returned: never freed. */
  private readonly kept: TypedArray[] = [];
  private readonly consumed: TypedArray[] = [];

  constructor(private readonly pending: Map<GradNode, (Tensor | null)[]>) {}

  keep(a: TypedArray): void {
    this.kept.push(a);
  }

  summed(sum: TypedArray, a: TypedArray, b: TypedArray): void {
    this.made.add(sum);
    this.consumed.push(a, b);
  }

  /** After `node` ran: frees its inputs' consumed gradients and its temporaries. */
  ran(node: GradNode, gs: readonly (Tensor | null)[], created: Set<TypedArray>): void {
    const own = isBuiltInOp(node.op);
    for (const g of gs) {
      if (g === null) continue;
      if (own) this.consumed.push(g.data);
      else this.made.delete(g.data);
    }
    // A very wide graph would make the scan of pending gradients quadratic: leave it to the GC.
    const scan = this.pending.size <= MAX_PENDING;
    if (scan) for (const a of this.consumed) if (this.made.has(a)) this.free(a);
    this.consumed.length = 0;
    if (!own) return;
    for (const a of created) if (!(scan && this.free(a))) this.made.add(a);
  }

  private free(a: TypedArray): boolean {
    if (this.held(a)) return false;
    this.made.delete(a);
    releaseStorage(a);
    return true;
  }

  private held(a: TypedArray): boolean {
    for (const k of this.kept) if (overlaps(a, k)) return true;
    for (const slots of this.pending.values()) {
      for (const t of slots) if (t !== null && overlaps(a, t.data)) return true;
    }
    return false;
  }
}
