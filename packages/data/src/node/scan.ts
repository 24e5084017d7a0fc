/**
 * Finding the samples of a dataset folder: files are matched across sub-folders by their name
 * without extension (A/0001.png with B/0001.jpg and label/0001.png), sorted by that name. A file
 * without its partners, a folder missing, two files with one name, or images of one sample that
 * differ in size: an Error naming the files, before any sample is read.
 *
 *   LEVIR-CD:  <root>/<split>/A, B, label     (split: train, val, test; or the three folders in root)
 *   semantic:  <root>/<split>/images, masks   (likewise)
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readImageHeader } from './read.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** One sample: its name, a path per sub-folder, and the image size they share. */
export interface FolderItem {
  name: string;
  files: Record<string, string>;
  height: number;
  width: number;
}

/** The folder that holds `subfolders`: root/split, or root itself when split is not given. */
export function resolveSplit(root: string, subfolders: readonly string[], split: string | undefined, layout: string): string {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${layout} dataset: ${root} is not a folder`);
  const dir = split === undefined ? root : join(root, split);
  if (split !== undefined && !existsSync(dir)) {
    const splits = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());
    throw new Error(`${layout} dataset: ${root} has no '${split}' folder (it has: ${splits.join(', ') || 'no folders'})`);
  }
  const missing = subfolders.filter((s) => !existsSync(join(dir, s)));
  if (missing.length > 0) {
    const hint = split === undefined && readdirSync(root).some((d) => existsSync(join(root, d, subfolders[0]!))) ? '; give a split (e.g. train)' : '';
    throw new Error(`${layout} dataset: ${dir} has no ${missing.map((m) => `${m}/`).join(', ')} folder (expected ${subfolders.map((s) => `${s}/`).join(', ')})${hint}`);
  }
  return dir;
}

/** name (without extension) → file name, for the image files of `dir`. */
function imageFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) {
    const ext = extname(f).toLowerCase();
    if (!IMAGE_EXTENSIONS.has(ext) || f.startsWith('.')) continue;
    const stem = f.slice(0, -ext.length);
    const other = out.get(stem);
    if (other !== undefined) throw new Error(`${join(dir, other)} and ${join(dir, f)} have the same name; keep one`);
    out.set(stem, f);
  }
  return out;
}

/**
 * The samples of `dir`, one per name found in every sub-folder (`subfolders`, the first being the
 * image whose size the others must match).
 */
export function scanFolder(dir: string, subfolders: readonly string[], layout: string): FolderItem[] {
  const lists = subfolders.map((s) => imageFiles(join(dir, s)));
  const names = new Set(lists.flatMap((l) => [...l.keys()]));
  const problems: string[] = [];
  for (const name of [...names].sort()) {
    const have = subfolders.filter((_, k) => lists[k]!.has(name));
    if (have.length === subfolders.length) continue;
    const lack = subfolders.filter((_, k) => !lists[k]!.has(name));
    problems.push(`${join(dir, have[0]!, lists[subfolders.indexOf(have[0]!)]!.get(name)!)} has no partner in ${lack.map((s) => `${s}/`).join(', ')}`);
  }
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new Error(`${layout} dataset: missing pairs: ${problems.slice(0, 3).join('; ')}${more}`);
  }
  const items: FolderItem[] = [];
  for (const name of [...names].sort()) {
    const files: Record<string, string> = {};
    subfolders.forEach((s, k) => {
      files[s] = join(dir, s, lists[k]!.get(name)!);
    });
    const sizes = subfolders.map((s) => readImageHeader(files[s]!));
    const [first] = sizes;
    sizes.forEach((sz, k) => {
      if (sz.width !== first!.width || sz.height !== first!.height) {
        throw new Error(`${layout} dataset: ${files[subfolders[k]!]} is ${sz.width}x${sz.height} but ${files[subfolders[0]!]} is ` +
          `${first!.width}x${first!.height}; the images and mask of a sample must have the same size`);
      }
    });
    items.push({ name, files, height: first!.height, width: first!.width });
  }
  if (items.length === 0) throw new Error(`${layout} dataset: ${dir} holds no PNG or JPEG images in ${subfolders.map((s) => `${s}/`).join(', ')}`);
  return items;
}
