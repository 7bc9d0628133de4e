import type { RequestHandler } from './$types';
import { exportRoute } from '$lib/server/reviews/export-route';
import { QueueExportQuery, queueRowsForExport, queueWorkbook } from '$lib/server/reviews/export';

/** GET /reviews/export/queue?adcode=&state=&due=&item=&department=&channel=&sort=&days=: the 差评 queue as .xlsx. */
export const GET: RequestHandler = (event) =>
	exportRoute(event, '/reviews/export/queue', 'reviews-queue', QueueExportQuery, async (ctx, q, who) => {
		const rows = await queueRowsForExport(ctx, q);
		return { body: await queueWorkbook(rows, q, who), rows: rows.length };
	});
