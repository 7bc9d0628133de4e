/**
 * Who is calling: a signed-in user, a wall screen's token, or trusted code in
 * this process (the CLI, tests, benchmarks — never a request). The caller's
 * region scope follows from it and from nothing else.
 */
import type { Scope } from '../scope.ts';

export const ROLES = ['leader', 'analyst', 'evaluator', 'service_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The roles' names on screen. */
export const ROLE_NAMES: Record<Role, string> = {
	leader: '领导',
	analyst: '分析人员',
	evaluator: '评估人员',
	service_manager: '政务服务管理人员',
	admin: '系统管理员'
};

export type Principal =
	| { kind: 'user'; userId: number; name: string; role: Role; regions: number[]; sessionId: number; mustChangePassword: boolean }
	| { kind: 'wall'; tokenId: number; name: string; region: number }
	/** In-process callers only: their context names the scope itself. */
	| { kind: 'system'; name: string };

/** Who may be named in the access matrix: a role, or a wall token. */
export type Caller = Role | 'wall';

export function callerOf(principal: Principal): Caller | 'system' {
	return principal.kind === 'user' ? principal.role : principal.kind === 'wall' ? 'wall' : 'system';
}

/** A user's regions (or a wall's one region) as a scope: the nation (0) means everything. */
export function scopeOfRegions(regions: readonly number[]): Scope {
	if (regions.includes(0)) return { all: true };
	return { adcodes: [...regions] };
}

/** The scope a user or wall principal may see; a system principal's comes from its context. */
export function scopeOf(principal: Exclude<Principal, { kind: 'system' }>): Scope {
	return scopeOfRegions(principal.kind === 'user' ? principal.regions : [principal.region]);
}

/** Trusted in-process code (tests, benchmarks, the CLI): sees what its context's scope says. */
export const SYSTEM: Principal = { kind: 'system', name: 'system' };
