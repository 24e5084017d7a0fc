/**
 * The platform layer (design point 8): bundled for a browser, @tessera/core and @tessera/nn take
 * their browser platform files through the packages' `#platform` / `#checkpoint` import maps and
 * pull in no `node:` module and no `process` global; under Node the node files answer. The
 * browser checkpoint stubs have the Node functions' exact types and say what to use instead.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as nodeFiles from '../src/serialization/checkpoint.js';
import * as webFiles from '../src/serialization/checkpoint-browser.js';
import { platform } from '../../core/src/platform/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function bundleFor(platformName: 'browser' | 'node', entry: string): Promise<{ text: string; inputs: string[] }> {
  const out = await build({
    entryPoints: [path.join(root, entry)], bundle: true, write: false, format: 'esm', platform: platformName,
    target: 'es2022', metafile: true, logLevel: 'silent',
    external: platformName === 'node' ? ['fast-check'] : [],
  });
  return { text: out.outputFiles[0]!.text, inputs: Object.keys(out.metafile.inputs) };
}

describe('the browser build', () => {
  it('of @tessera/core and @tessera/nn has no node: import and no process global', async () => {
    for (const entry of ['packages/core/src/index.ts', 'packages/core/src/testing/index.ts', 'packages/nn/src/index.ts']) {
      const { text, inputs } = await bundleFor('browser', entry);
      expect(text, entry).not.toMatch(/from\s*["']node:|import\(["']node:|require\(["']node:/);
      expect(text, entry).not.toMatch(/\bprocess\.(env|pid|kill|versions)\b/);
      if (entry.startsWith('packages/nn')) {
        expect(inputs).toContain('packages/nn/src/serialization/checkpoint-browser.ts');
        expect(inputs).not.toContain('packages/nn/src/serialization/checkpoint.ts');
      }
      expect(inputs).toContain('packages/core/src/platform/browser.ts');
      expect(inputs).not.toContain('packages/core/src/platform/node.ts');
    }
  });

  it('for Node takes the node files', async () => {
    const { inputs } = await bundleFor('node', 'packages/nn/src/index.ts');
    expect(inputs).toContain('packages/core/src/platform/node.ts');
    expect(inputs).toContain('packages/nn/src/serialization/checkpoint.ts');
    expect(inputs).not.toContain('packages/core/src/platform/browser.ts');
  });
});

describe('the Node platform', () => {
  it('reads process.env at each call and counts the cores', () => {
    process.env['TESSERA_PLATFORM_PROBE'] = 'x';
    expect(platform.env('TESSERA_PLATFORM_PROBE')).toBe('x');
    delete process.env['TESSERA_PLATFORM_PROBE'];
    expect(platform.env('TESSERA_PLATFORM_PROBE')).toBeUndefined();
    expect(platform.parallelism()).toBeGreaterThanOrEqual(1);
    expect(platform.threadLimit().max).toBe(Infinity);
    expect(Array.from(platform.kernelsBytes('kernels.wasm')!.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]); // \0asm
  });
});

describe('file checkpoints without a file system', () => {
  it('have the Node signatures and throw naming the alternative', () => {
    const same: typeof nodeFiles = webFiles; // a compile-time check: tsc fails if a signature differs
    expect(Object.keys(same).sort()).toEqual(Object.keys(nodeFiles).sort());
    expect(() => webFiles.save(new Map(), 'm.safetensors')).toThrow('save(…, "m.safetensors"): there is no file system here (not Node); use serialize(…) for the bytes or toBlob(…) for a download');
    expect(() => webFiles.load('m.safetensors')).toThrow(/load\("m\.safetensors"\): there is no file system here .*fromBlob/);
    expect(() => webFiles.loadFile('m.safetensors')).toThrow(/deserialize\(bytes\)/);
    expect(() => webFiles.writeFileAtomic('f', new Uint8Array(1))).toThrow(/writeFileAtomic\("f"\)/);
  });
});
