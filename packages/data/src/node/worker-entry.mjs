// The entry of a DatasetWorkers thread, in plain JS so that it starts without a loader. The
// dataset module and worker-main.ts are TypeScript in this repository (no build step): register
// tsx's loader hooks in this thread when tsx can be found (Node 20 ignores `--import` in a
// worker's execArgv), then run the worker.
try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // no tsx: the modules must be JavaScript
}
await import(new URL('./worker-main.ts', import.meta.url).href);
