#!/usr/bin/env node
export {};
// The one `tianshu` command. Subcommands are TypeScript, loaded through tsx so a
// checkout runs without a separate compile step.

// chDB runs queries on libuv's thread pool; size it before anything uses the pool.
process.env.UV_THREADPOOL_SIZE ??= '8';
const { register } = await import('tsx/esm/api');
register();
// After tsx, so it sees `?raw` imports first (hooks run last-registered first).
const { register: registerHooks } = await import('node:module');
registerHooks('./raw-import-hooks.js', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
