/**
 * What every procedure receives: the warehouse, the live hub, the caller's
 * region scope and the request's id. Until logins exist (the security issue), the
 * scope comes from TIANSHU_SCOPE (comma-separated GB/T 2260 codes; unset =
 * everything), so a command centre can already be limited to its own province or
 * city. Procedures get the scope through `scopedProcedure` and apply it with
 * ../scope.ts; the planner applies it again in SQL.
 */
import type { Warehouse } from '../warehouse/client.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Scope } from '../scope.ts';
import { setting } from '../config.ts';

export interface Context {
	warehouse: Warehouse;
	hub: LiveHub;
	scope: Scope;
	/** Names the request in the log and in the error reply. */
	requestId?: string;
}

/** The scope TIANSHU_SCOPE names (checked by the config module: a bad value throws a ConfigError naming it). */
export function scopeFromEnv(given?: string): Scope {
	const value = given === undefined ? setting('TIANSHU_SCOPE') : setting('TIANSHU_SCOPE', { TIANSHU_SCOPE: given });
	if (!value || !value.trim()) return { all: true };
	return { adcodes: value.split(',').map((s) => Number(s.trim())) };
}
