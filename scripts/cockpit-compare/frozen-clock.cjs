// Preload for comparing cockpit pictures (scripts/cockpit-compare/README.md): NODE_OPTIONS="--require <this file>"
// with H_FROZEN_AT=<ISO instant>. The web process sees that instant, frozen, so every panel is computed at the same
// `at`; the other parts (warehouse, worker) see a clock that starts at it and runs on.
const T = Date.parse(process.env.H_FROZEN_AT);
const Real = Date;
const startReal = Real.now();
const frozen = process.argv.includes('web');
const now = () => (frozen ? T : T + (Real.now() - startReal));
class FrozenDate extends Real {
	constructor(...a) {
		if (a.length === 0) super(now());
		else super(...a);
	}
	static now() {
		return now();
	}
}
globalThis.Date = FrozenDate;
