/** The web server's one context: one warehouse client and one live hub for every request. */
import { setting } from '../config.ts';
import { LiveHub } from '../live/hub.ts';
import { createLogger } from '../log/logger.ts';
import { ingestWatermark } from '../queries/ingest/watermark.ts';
import { warehouse } from '../warehouse/index.ts';
import { scopeFromEnv, type Context } from './context.ts';

let hub: LiveHub | undefined;
let scope: Context['scope'] | undefined;

/** The hub's watermark reader over one warehouse client (the statement is in queries/ingest/watermark.ts). */
export function watermarkOf(wh: Context['warehouse']) {
	return () => ingestWatermark({ warehouse: wh });
}

export function serverContext(): Context {
	const { warehouse: wh } = warehouse('reader'); // the web only reads: the warehouse's reader account
	// Failing topics are logged (and keep their last value): a wall that stops updating has a line to explain it.
	hub ??= new LiveHub({
		watermark: watermarkOf(wh),
		// How often topics may / must be recomputed (1 s / 15 s).
		floorMs: setting('TIANSHU_LIVE_FLOOR_MS'),
		ceilingMs: setting('TIANSHU_LIVE_CEILING_MS'),
		logger: createLogger('web')
	});
	// Read once: `tianshu web` has checked it before serving (see src/cli/web.ts).
	scope ??= scopeFromEnv();
	return { warehouse: wh, hub, scope };
}
