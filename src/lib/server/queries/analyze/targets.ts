/**
 * Annual targets of an indicator for a region (indicator_targets, the latest
 * release of each): /analyze shows the value against its target and the share of
 * the year gone. Targets are published, so no service scope applies (the caller
 * checks the region with kind 'published').
 */
import { rows, type QueryCtx } from '../statement.ts';

export interface TargetRow {
	indicator: string;
	year: number;
	value: number;
	unit: string;
}

export function selectTargets(ctx: Pick<QueryCtx, 'warehouse'>, indicators: string[], adcode: number, years: number[]): Promise<TargetRow[]> {
	return rows<TargetRow>(
		ctx,
		`SELECT indicator, year, value, unit FROM indicator_targets FINAL
WHERE has({indicators:Array(String)}, indicator) AND adcode = {adcode:UInt32} AND has({years:Array(UInt16)}, year)
ORDER BY indicator, year`,
		{ indicators, adcode, years }
	);
}
