/**
 * Synthetic case events for the warehouse benchmarks (tiles, analyze): generated
 * inside the warehouse (INSERT … SELECT FROM numbers()), so the materialized
 * views build the rollups exactly as ingestion does. Spread over the last 30
 * days, today included, over every county of the 31 provinces.
 */
import type { Warehouse } from '../src/lib/server/warehouse/client.ts';

/** Inserts events `from`…`from + count − 1` (ids `<prefix>-n`, cases `<prefix>c-n÷3`); returns the milliseconds taken. */
export async function generateCaseEvents(wh: Warehouse, from: number, count: number, prefix: string): Promise<number> {
	const t = performance.now();
	await wh.command({
		query: `INSERT INTO case_events (event_id, case_id, status, ts, adcode, province_code, city_code, department, item_code, item_name, channel,
		          promised_days, trips, cross_province, submitted_at, due_date, duration_s, on_time, source)
		SELECT
		    concat({prefix:String}, '-', toString(n)) AS event_id, concat({prefix:String}, 'c-', toString(intDiv(n, 3))) AS case_id,
		    multiIf(h % 100 < 40, 'submitted', h % 100 < 70, 'accepted', h % 100 < 99, 'completed', 'rejected') AS status,
		    now64(3) - toIntervalSecond(h % (30 * 86400)) AS ts,
		    codes[1 + (h % length(codes))] AS adcode, intDiv(adcode, 10000) * 10000 AS province_code, intDiv(adcode, 100) * 100 AS city_code,
		    ['市场监督管理局', '人力资源和社会保障局', '自然资源局', '公安局', '住房公积金管理中心', '医疗保障局', '税务局'][1 + (h % 7)] AS department,
		    concat('ITEM-', toString(h % 40)) AS item_code, concat('事项', toString(h % 40)) AS item_name,
		    ['counter', 'web', 'mobile', 'kiosk'][1 + (intDiv(h, 7) % 4)] AS channel,
		    toUInt16(h % 11) AS promised_days, toUInt8(h % 3) AS trips, h % 97 = 0 AS cross_province,
		    ts - toIntervalSecond(3600 + h % 86400) AS submitted_at, toDate(ts, 'Asia/Shanghai') + (h % 3) AS due_date,
		    toUInt32(3600 + h % 86400) AS duration_s, h % 50 != 0 AS on_time, 'bench' AS source
		FROM (SELECT number + {from:UInt64} AS n, cityHash64(number + {from:UInt64}) AS h FROM numbers({count:UInt64})) AS g
		CROSS JOIN (SELECT groupArray(adcode) AS codes FROM regions FINAL WHERE level = 'county' AND province_code < 700000) AS r`,
		query_params: { from, count, prefix },
		clickhouse_settings: { max_insert_block_size: '1000000' }
	});
	return performance.now() - t;
}
