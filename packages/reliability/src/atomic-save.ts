/**
 * Atomic saving, proven by killing: a child saves checkpoints 1, 2, 3, … of one model to one path
 * in a loop; it is SIGKILLed at random moments (a seeded random delay after its second save). After
 * every kill the file must load, hold checkpoint k or k + 1 where k is the last save the child
 * reported finished (never anything older, never a mix), and give exactly the outputs of a model
 * rebuilt for that k. A temporary file left by the killed writer must be swept by the next save.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFile } from '@tessera/nn';
import { checkpointModel, probe, setState } from './checkpoint-model.js';
import { bundle, seededRandom, start } from './processes.js';

export interface AtomicSaveReport {
  kills: number;
  /** Kills that left the writer's temporary file behind: they landed inside a save. */
  midWrite: number;
  /** Kills after which the file held the checkpoint being written (its rename had happened). */
  newer: number;
  seconds: number;
}

const child = fileURLToPath(new URL('./children/save-loop.ts', import.meta.url));

export async function atomicSaveCampaign(kills: number, seed: number, maxDelayMs = 60): Promise<AtomicSaveReport> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-atomic-'));
  const path = join(dir, 'model.safetensors');
  const script = await bundle(child);
  const random = seededRandom(seed);
  const [x1, x2] = probe();
  const expected = checkpointModel().eval();
  const restored = checkpointModel().eval();
  const temps = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  let midWrite = 0;
  let newer = 0;
  try {
    for (let i = 0; i < kills; i++) {
      const stale = temps();
      const c = start(script, [path], { TESSERA_BACKEND: 'js' });
      await c.waitFor((l) => l === 'saved 2');
      // The first save of this child sweeps what the previous killed child left.
      for (const f of stale) if (existsSync(join(dir, f))) throw new Error(`kill ${i}: ${f} was not swept by the next save`);
      await new Promise((r) => setTimeout(r, random(maxDelayMs)));
      c.proc.kill('SIGKILL');
      const { signal } = await c.exited;
      if (signal !== 'SIGKILL') throw new Error(`kill ${i}: the child ended by ${signal ?? 'itself'}: ${c.stderr()}`);
      const last = Math.max(...c.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6))));
      if (temps().length > 0) midWrite++;
      const { tensors, metadata } = loadFile(path); // throws, naming the file, if it is not intact
      const k = Number(metadata.k);
      if (k !== last && k !== last + 1) throw new Error(`kill ${i}: the file holds checkpoint ${k}, but ${last} was the last finished save`);
      if (k === last + 1) newer++;
      setState(expected, k);
      for (const [name, t] of expected.stateDict()) {
        const got = tensors.get(name);
        if (got === undefined || got.data.some((v, j) => !Object.is(v, t.data[j]))) throw new Error(`kill ${i}: checkpoint ${k}: "${name}" differs`);
      }
      restored.loadStateDict(tensors);
      const a = expected.forward(x1, x2).data;
      const b = restored.forward(x1, x2).data;
      if (a.some((v, j) => !Object.is(v, b[j]))) throw new Error(`kill ${i}: checkpoint ${k} loads to different outputs`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { kills, midWrite, newer, seconds: (performance.now() - t0) / 1000 };
}
