/**
 * What every procedure receives: the warehouse, the live hub, who is calling,
 * their region scope and the request's id. The door in `trpc.ts` checks the
 * principal against the access matrix (../auth/access.ts) and sets the scope
 * from the principal's regions; only trusted in-process code (SYSTEM: tests,
 * benchmarks, the CLI) brings a scope of its own. Procedures get the scope
 * through `scopedProcedure` and apply it with ../scope.ts; the planner applies
 * it again in SQL.
 */
import type { Admitted } from '../live/admitted.ts';
import type { Warehouse } from '../warehouse/client.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Scope } from '../scope.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppDb } from '../appdb/client.ts';

export interface Context {
	warehouse: Warehouse;
	hub: LiveHub;
	/** Who is calling; null: nobody signed in (refused by every procedure). */
	principal: Principal | null;
	scope: Scope;
	/** Names the request in the log and in the error reply. */
	requestId?: string;
	/** The app database for procedures that store per-user things (saved scenarios); the web's pool when absent. */
	appDb?: AppDb;
	/** Whether the caller is still let in (the door's check again): open live streams end when it says no. */
	admitted?: Admitted;
}
