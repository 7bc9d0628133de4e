/**
 * Who may do what: the one role × procedure matrix. Every tRPC procedure (queries
 * and the subscriptions that are the live topics), every export route and every
 * page is listed with the callers allowed; anything not listed is refused to
 * everyone (the router-walk test fails when a procedure is missing here).
 * Enforced in the tRPC builders (api/trpc.ts) and, for pages, in hooks.server.ts.
 * A caller's regions limit what the allowed procedures return (../scope.ts).
 */
import { ROLES, type Caller, type Principal } from './principal.ts';

const USERS: readonly Caller[] = ROLES;

/**
 * tRPC procedures. Subscriptions (`live.query`, `cockpit.live`) are the live
 * topics. Wall tokens: the cockpit's procedures only.
 */
export const PROCEDURES: Readonly<Record<string, readonly Caller[]>> = {
	'indicators.catalogue': USERS,
	'indicators.query': ['leader', 'analyst', 'evaluator', 'service_manager'],
	'regions.get': USERS,
	'regions.children': USERS,
	'live.query': ['leader', 'analyst', 'service_manager'],
	'ingest.health': ['admin'],
	'economy.overview': ['leader', 'analyst', 'evaluator'],
	'cockpit.picture': ['leader', 'wall'],
	'cockpit.panel': ['leader', 'wall'],
	'cockpit.live': ['leader', 'wall'],
	'reviews.overview': ['leader', 'analyst', 'evaluator', 'service_manager'],
	'reviews.summary': ['leader', 'analyst', 'service_manager'],
	'reviews.rankings': ['leader', 'analyst', 'evaluator', 'service_manager'],
	'reviews.queue': ['service_manager'],
	'reviews.timeline': ['service_manager'],
	'reviews.act': ['service_manager'],
	'reviews.topics': ['leader', 'analyst', 'service_manager'],
	'analyze.series': ['analyst', 'leader'],
	'analyze.breakdown': ['analyst', 'leader'],
	'analyze.contributions': ['analyst', 'leader'],
	'analyze.pivot': ['analyst', 'leader'],
	'analyze.detail': ['analyst'],
	'analyze.views.list': ['analyst'],
	'analyze.views.save': ['analyst'],
	'analyze.views.remove': ['analyst'],
	'hotline.overview': ['leader', 'analyst', 'service_manager'],
	'evaluate.methodologies': ['evaluator', 'leader'],
	'evaluate.live': ['evaluator', 'leader'],
	'evaluate.baseline': ['evaluator', 'leader'],
	'evaluate.movers': ['evaluator', 'leader'],
	'evaluate.scenarios.list': ['evaluator'],
	'evaluate.scenarios.save': ['evaluator'],
	'evaluate.scenarios.get': ['evaluator'],
	'evaluate.scenarios.remove': ['evaluator']
};

/** Export routes (path → callers); exports are the analyst's. The audit log's is the admin's. */
export const EXPORTS: Readonly<Record<string, readonly Caller[]>> = {
	'/analyze/export': ['analyst'],
	'/admin/audit/export': ['admin'],
	'/reviews/export/queue': ['service_manager'],
	'/reviews/export/rankings': ['service_manager', 'analyst'],
	'/evaluate/export': ['evaluator']
};

/**
 * Pages and endpoints by SvelteKit route id. PUBLIC ones need no principal;
 * the tRPC endpoint checks each procedure instead. A route id in neither list is
 * refused to everyone.
 */
export const PAGES: Readonly<Record<string, readonly Caller[]>> = {
	'/': USERS,
	'/cockpit': ['leader', 'wall'],
	'/analyze': ['analyst'],
	'/analyze/export': ['analyst'],
	'/evaluate': ['evaluator'],
	'/evaluate/upload': ['evaluator'],
	'/evaluate/export': ['evaluator'],
	'/reviews': ['service_manager'],
	// Export routes are SvelteKit routes too: the door admits them here, the routes check EXPORTS.
	'/reviews/export/queue': ['service_manager'],
	'/reviews/export/rankings': ['service_manager', 'analyst'],
	'/account/password': USERS,
	'/logout': USERS,
	'/admin': ['admin'],
	'/admin/users': ['admin'],
	'/admin/walls': ['admin'],
	'/admin/ingest': ['admin'],
	'/admin/audit': ['admin'],
	// The export route is also a SvelteKit route: the door admits it here, the route checks EXPORTS.
	'/admin/audit/export': ['admin']
};

export const PUBLIC_ROUTES: readonly string[] = ['/login', '/login/oidc', '/login/oidc/callback', '/healthz', '/wall/[token]', '/api/trpc/[...trpc]'];

function allowedBy(table: Readonly<Record<string, readonly Caller[]>>, key: string, principal: Principal): boolean {
	if (principal.kind === 'system') return true;
	const callers = Object.hasOwn(table, key) ? table[key] : undefined;
	return callers !== undefined && callers.includes(principal.kind === 'wall' ? 'wall' : principal.role);
}

/** Whether the principal may call the procedure at `path` (a path not in the matrix: nobody). */
export function mayCall(principal: Principal, path: string): boolean {
	return allowedBy(PROCEDURES, path, principal);
}

export function mayExport(principal: Principal, path: string): boolean {
	return allowedBy(EXPORTS, path, principal);
}

export function mayOpen(principal: Principal, routeId: string): boolean {
	return allowedBy(PAGES, routeId, principal);
}

/** The pages (of `paths`) a principal may open: the home page lists only these. */
export function screensFor<T extends { path: string }>(principal: Principal, screens: readonly T[]): T[] {
	return screens.filter((s) => mayOpen(principal, s.path));
}
