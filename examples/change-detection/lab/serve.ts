/**
 * `pnpm lab`: builds the lab page with Vite (lab/dist) and serves it on localhost with the headers
 * that make it cross-origin isolated (COOP same-origin, COEP require-corp), which the wasm kernels
 * need to share their memory with Web Workers. Prints the URL; Ctrl-C stops.
 *
 *   pnpm lab [--port 5173] [--host 127.0.0.1] [--no-build] [--no-isolation]
 *
 * `--no-isolation` serves without those headers: the page still trains, on one kernel thread per
 * worker. The tests use buildLab and serveLab directly.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
export const LAB_DIST = join(here, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.map': 'application/json', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** Builds the page into lab/dist (Vite, lab/vite.config.ts); returns that folder. */
export async function buildLab(): Promise<string> {
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
  return LAB_DIST;
}

export interface LabServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` statically on `host:port` (0: any free port), with the isolation headers unless `isolated` is false. */
export function serveLab(dir: string, options: { port?: number; host?: string; isolated?: boolean } = {}): Promise<LabServer> {
  const { port = 0, host = '127.0.0.1', isolated = true } = options;
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' } : {}),
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      done({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${a.port}/`,
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '5173' }, host: { type: 'string', default: '127.0.0.1' }, 'no-build': { type: 'boolean' }, 'no-isolation': { type: 'boolean' } },
  });
  if (!values['no-build']) {
    process.stdout.write('Building the lab page (Vite)…\n');
    await buildLab();
  }
  const s = await serveLab(LAB_DIST, { port: Number(values.port), host: values.host, isolated: !values['no-isolation'] });
  process.stdout.write(`Tessera lab: ${s.url}  (open it in Chrome, Edge or Firefox; Ctrl-C stops)\n`);
}
