/** The web server's context: one warehouse client and one live hub for every request, and the request's principal. */
import { setting } from '../config.ts';
import { LiveHub } from '../live/hub.ts';
import { createLogger } from '../log/logger.ts';
import { ingestWatermark } from '../queries/ingest/watermark.ts';
import { warehouse } from '../warehouse/index.ts';
import type { Context } from './context.ts';
import type { Admitted } from '../live/admitted.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';

let hub: LiveHub | undefined;

/** The hub's watermark reader over one warehouse client (the statement is in queries/ingest/watermark.ts). */
export function watermarkOf(wh: Context['warehouse']) {
	return () => ingestWatermark({ warehouse: wh });
}

/**
 * The context of a request by `principal` (null: nobody signed in; every procedure refuses it);
 * `admitted` asks the door again whether that caller is still let in (live streams).
 */
export function serverContext(principal: Principal | null, admitted?: Admitted): Context {
	const { warehouse: wh } = warehouse('reader'); // the web only reads: the warehouse's reader account
	// Failing topics are logged (and keep their last value): a wall that stops updating has a line to explain it.
	hub ??= new LiveHub({
		watermark: watermarkOf(wh),
		// How often topics may / must be recomputed (1 s / 15 s).
		floorMs: setting('TIANSHU_LIVE_FLOOR_MS'),
		ceilingMs: setting('TIANSHU_LIVE_CEILING_MS'),
		logger: createLogger('web')
	});
	// The door (trpc.ts) sets the scope from the principal again; a request never brings its own.
	const scope = principal && principal.kind !== 'system' ? scopeOf(principal) : { adcodes: [] };
	return { warehouse: wh, hub, principal, scope, ...(admitted ? { admitted } : {}) };
}
