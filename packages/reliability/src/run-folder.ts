/**
 * Is every file of a change-detection run folder whole? Each file is read with what reads it in
 * real use: JSON parses, PNGs decode, checkpoints load (the safetensors reader's checks), SVG and
 * HTML end with their closing tag, CSV rows have the header's column count. Temporary files (a
 * writer killed mid-write) and the lock are counted, not judged.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadFile } from '@tessera/nn';
import { decodePng } from '../../../examples/change-detection/src/io/png.js';

export interface FolderCheck {
  /** Files read and found whole, by extension. */
  whole: Record<string, number>;
  /** Temporary files left by a killed writer. */
  temps: string[];
  lock: boolean;
  /** Files that are not whole, with the reason. */
  broken: string[];
}

function check(path: string, name: string): void {
  const text = (): string => readFileSync(path, 'utf8');
  if (name.endsWith('.json')) JSON.parse(text());
  else if (name.endsWith('.png')) decodePng(readFileSync(path));
  else if (name.endsWith('.safetensors')) loadFile(path);
  else if (name.endsWith('.svg')) {
    if (!/^<svg[\s\S]*<\/svg>\s*$/.test(text())) throw new Error('not a complete SVG document');
  } else if (name.endsWith('.html')) {
    if (!/^<!DOCTYPE html>[\s\S]*<\/html>\s*$/i.test(text())) throw new Error('not a complete HTML document');
  } else if (name.endsWith('.csv')) {
    const rows = text().trimEnd().split('\n').map((r) => r.split(',').length);
    if (rows.some((n) => n !== rows[0])) throw new Error('rows of different lengths');
  } else throw new Error('a file the run should not write');
}

export function checkRunFolder(dir: string): FolderCheck {
  const out: FolderCheck = { whole: {}, temps: [], lock: false, broken: [] };
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.tmp')) out.temps.push(rel);
      else if (e.name === '.lock') out.lock = true;
      else {
        try {
          check(p, e.name);
          const ext = e.name.slice(e.name.lastIndexOf('.') + 1);
          out.whole[ext] = (out.whole[ext] ?? 0) + 1;
        } catch (err) {
          out.broken.push(`${rel}: ${(err as Error).message}`);
        }
      }
    }
  };
  if (existsSync(dir)) walk(dir); // a run killed at its very start may not have made it
  return out;
}
