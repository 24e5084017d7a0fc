import { configDefaults, defineConfig } from 'vitest/config';

// `pnpm test` runs the suite twice, once per kernel backend (TESSERA_BACKEND=wasm, then js). Test
// files named `*.once.test.ts` do not touch the kernels (file formats, processes, the browser, the
// docs), so the js pass leaves them out instead of running them a second time for nothing.
const once = process.env['TESSERA_BACKEND'] === 'js' ? ['**/*.once.test.ts'] : [];

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...once],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
