#!/usr/bin/env node
// Makes a fresh clone ready, so `npm start` and `npm test` are the whole set-up:
// - npm dependencies when node_modules is missing or older than the lockfile
//   (`npm install` from the committed lockfile; `npm ci` fails here, see README);
// - with --browser: Debian's chromium and CJK fonts for the browser tests, when
//   missing and we may install them; otherwise one clear line saying what to run.
// Plain Node, no dependencies: it runs before they exist.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');

/** @param {string} message */
function say(message) {
	console.log(`[setup] ${message}`);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
	const r = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
	if (r.status !== 0) {
		console.error(`[setup] \`${command} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
		process.exit(1);
	}
}

function npmDependencies() {
	const lock = path.join(root, 'package-lock.json');
	const marker = path.join(root, 'node_modules', '.package-lock.json');
	if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
	say(existsSync(marker) ? 'package-lock.json changed: updating node_modules' : 'installing npm dependencies');
	run('npm', ['install', '--no-audit', '--no-fund']);
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function hasCjkFonts() {
	// Debian's fonts-noto-cjk; any other CJK font fontconfig knows will do too.
	if (existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) return true;
	try {
		return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
	} catch {
		return false;
	}
}

function browser() {
	const missing = [];
	if (!existsSync(CHROMIUM)) missing.push('chromium');
	if (!hasCjkFonts()) missing.push('fonts-noto-cjk');
	if (missing.length === 0) return;
	const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !existsSync('/usr/bin/apt-get')) {
		console.error(`[setup] the browser tests need ${missing.join(' and ')}; install with:\n  sudo ${command}`);
		process.exit(1);
	}
	say(`installing ${missing.join(', ')} from Debian`);
	run('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
	run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
}

npmDependencies();
if (wantBrowser) browser();
