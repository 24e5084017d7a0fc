/** A wasm kernel thread in a browser: worker-loop.mjs over the first message (platform/browser.ts). */
import { serve } from './worker-loop.mjs';

self.addEventListener('message', (e) => serve(e.data), { once: true });
