/**
 * Entry point of Tessera's AssemblyScript kernels: one file per kernel family (helpers in
 * `<family>-*.ts`), re-exported here. Add a family by writing `<family>.ts` beside this file and
 * exporting it below; the build
 * (scripts/build-wasm.mjs) compiles this entry into src/kernels/wasm/build/kernels.wasm.
 * Conventions: no static data and no allocation (memory is owned by the TypeScript loader, which
 * passes byte addresses); work that threads share is described by a descriptor in memory and cut
 * into items `xxxItem(desc, item, scratch)`.
 */
export * from './gemm';
export * from './conv';
export * from './conv-transpose';
export * from './winograd';
export * from './winograd-grad';
export * from './winograd-grad-finish';
export * from './elementwise';
export * from './cross-entropy';
export * from './cross-entropy-multi';
export * from './pooling';
export * from './norm';
export * from './memory';
