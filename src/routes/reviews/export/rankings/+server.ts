import type { RequestHandler } from './$types';
import { exportRoute } from '$lib/server/reviews/export-route';
import { RankingsExportQuery, rankingRowsForExport, rankingsWorkbook } from '$lib/server/reviews/export';

/** GET /reviews/export/rankings?adcode=&from=&to=&by=: the satisfaction ranking with rank ranges as .xlsx. */
export const GET: RequestHandler = (event) =>
	exportRoute(event, '/reviews/export/rankings', 'reviews-rankings', RankingsExportQuery, async (ctx, q, who) => {
		const r = await rankingRowsForExport(ctx, q);
		return { body: await rankingsWorkbook(r.rows, q, r.unitNote, who), rows: r.rows.length };
	});
