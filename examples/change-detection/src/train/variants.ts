/**
 * The compared training variants: the same model, data and batches, a different loss.
 *
 * - `ce`: unweighted cross-entropy, the baseline.
 * - `weighted-ce`: cross-entropy with per-class weights from `classWeights` on the training split's
 *   pixel counts (scheme `--weight-scheme`, default `balanced`: w_c = N / (C · n_c), so each class
 *   carries the same total weight; at 3% change that is ≈ [0.52, 16.7], a 32:1 ratio).
 * - `focal`: focal loss (Lin et al. 2017), gamma `--focal-gamma`, no per-class alpha, so it tests
 *   the down-weighting of easy pixels alone.
 * - `dice`: soft Dice on the softmax probability of the change class.
 * - `ce+dice`: the sum of the unweighted cross-entropy and the Dice loss.
 */
export const VARIANTS = ['ce', 'weighted-ce', 'focal', 'dice', 'ce+dice'] as const;
export type VariantName = (typeof VARIANTS)[number];

/** The class-weight schemes of `classWeights` in @tessera/core. */
export const WEIGHT_SCHEMES = ['balanced', 'inverse', 'median', 'enet', 'effective'] as const;
export type WeightScheme = (typeof WEIGHT_SCHEMES)[number];

/** Human-readable description of a variant, for the report. */
export function describeVariant(v: VariantName, scheme: WeightScheme, gamma: number, weights?: readonly number[]): string {
  switch (v) {
    case 'ce':
      return 'cross-entropy, unweighted';
    case 'weighted-ce': {
      const w = weights ? ` = [${weights.map((x) => x.toPrecision(3)).join(', ')}]` : '';
      return `cross-entropy with '${scheme}' class weights${w}`;
    }
    case 'focal':
      return `focal loss, gamma ${gamma}`;
    case 'dice':
      return 'soft Dice loss on p(change)';
    case 'ce+dice':
      return 'cross-entropy + soft Dice';
  }
}

/** Parses a comma-separated list of variant names (validated later by validateConfig). */
export function parseVariants(list: string): VariantName[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0) as VariantName[];
}
