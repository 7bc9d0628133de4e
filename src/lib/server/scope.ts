/**
 * The region scope in one place: what a caller may see, the typed refusal, and
 * the WHERE terms that keep a query inside it. Every tRPC procedure receives its
 * scope through `scopedProcedure` (api/trpc.ts); sign-in will change only where
 * the scope comes from (the signed-in principal, in api/trpc.ts).
 *
 * The rule: service data (cases, reviews, 12345 tickets, warnings) only inside
 * the scope; published statistics (GDP, 零售总额, … and targets, which a statistics
 * bureau publishes for everyone) also of the regions above it, so a city's
 * cockpit shows its province's and the nation's releases.
 */
import { levelOf, regionColumn, within } from '../regions/index.ts';

/** The caller's region scope: which regions they may see. */
export type Scope = { all: true } | { all?: false; adcodes: number[] };

/** What is being read: service data, or statistics published for everyone. */
export type DataKind = 'service' | 'published';

/** A region outside the caller's scope: FORBIDDEN, whatever the message says. */
export class ScopeError extends Error {
	constructor(
		readonly adcode: number,
		message = `无权查看该地区：${adcode}（不在您的数据范围内）`
	) {
		super(message);
		this.name = 'ScopeError';
	}
}

// Region codes (level, containment, columns) have one home: src/lib/regions; re-exported for the modules that import them here.
export { levelOf, regionColumn, within, type Level } from '../regions/index.ts';

/**
 * Whether the caller may read `kind` data of a region: inside one of the scope's
 * regions, or — for published statistics only — above one of them.
 */
// Stryker disable next-line StringLiteral: equivalent — only 'published' is tested for, so any other default reads as service data.
export function inScope(adcode: number, scope: Scope, kind: DataKind = 'service'): boolean {
	if (scope.all === true) return true;
	return scope.adcodes.some((s) => within(adcode, s) || (kind === 'published' && within(s, adcode)));
}

/** Throws ScopeError unless the caller may read `kind` data of the region. */
// Stryker disable next-line StringLiteral: equivalent — as in inScope, any default but 'published' reads as service data.
export function assertInScope(adcode: number, scope: Scope, kind: DataKind = 'service'): void {
	if (!inScope(adcode, scope, kind)) throw new ScopeError(adcode);
}

/** Data of the whole feed, not split by region (ingest metrics, dead letters): only for a caller who sees everything. */
export function assertWholeScope(scope: Scope): void {
	if (scope.all !== true) throw new ScopeError(0, '无权查看全部数据接入状态（仅限全国范围）');
}

/** Regions a caller may navigate to: inside the scope, or above it (on the way down to it). */
export function visibleRegions<T extends { adcode: number }>(regions: T[], scope: Scope): T[] {
	// Stryker disable next-line ConditionalExpression,BooleanLiteral: equivalent — inScope keeps every region of an all-scope anyway: the shortcut only saves the filter (scope.test.ts).
	return scope.all === true ? regions : regions.filter((r) => inScope(r.adcode, scope, 'published'));
}

/**
 * The WHERE terms (and their parameters) that keep rows of a region and within
 * the caller's scope — service data only. Every query over service data uses
 * this, so none can forget the scope: the region is checked first (a clear
 * FORBIDDEN) and the scope is in the SQL again, whatever the region asked.
 */
export function regionFilter(adcode: number, scope: Scope): { where: string[]; params: Record<string, unknown> } {
	assertInScope(adcode, scope);
	const where: string[] = [];
	const params: Record<string, unknown> = {};
	const column = regionColumn(adcode);
	if (column) {
		params.region = adcode;
		where.push(`${column} = {region:UInt32}`);
	}
	if (scope.all !== true) {
		// Only the levels the scope has: a city-level rollup has no county column to test.
		const terms: string[] = [];
		for (const [level, column] of [
			['province', 'province_code'],
			['city', 'city_code'],
			['county', 'adcode']
		] as const) {
			const codes = scope.adcodes.filter((a) => levelOf(a) === level);
			if (!codes.length) continue;
			params[`scope_${level}`] = codes;
			terms.push(`has({scope_${level}:Array(UInt32)}, ${column})`);
		}
		where.push(terms.length ? `(${terms.join(' OR ')})` : '0');
	}
	return { where, params };
}
