/**
 * What a screen may ask for: indicators over a time range at a grain, for a
 * region or its sub-regions, filtered and grouped by dimensions, with an
 * optional comparison period. Validated with zod; clear messages.
 */
import { z } from 'zod';
import { INDICATOR_CODES } from '../../indicators/catalogue.ts';
import { parseTimestamp } from '../../../../ingest/contract/events.ts';

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/;

/** A Beijing local date or time, 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM', as epoch ms. */
const localTime = z
	.string()
	.regex(LOCAL_TIME, 'must be a Beijing date YYYY-MM-DD or time YYYY-MM-DDTHH:MM')
	.transform((text, ctx) => {
		const ms = parseTimestamp(text.length === 10 ? `${text}T00:00` : text);
		if (Number.isNaN(ms)) {
			ctx.addIssue({ code: 'custom', message: `not a real date: ${text}` });
			return z.NEVER;
		}
		return ms;
	});

/** A region: 0 for the nation, or a GB/T 2260 code. */
export const Adcode = z.number().int().refine((v) => v === 0 || (v >= 110000 && v <= 829999), 'must be 0 (national) or a GB/T 2260 code');
const adcode = Adcode;
const values = (max: number) => z.array(z.string().min(1).max(128)).min(1).max(max);

export const QueryRequest = z
	.object({
		indicators: z.array(z.enum(INDICATOR_CODES, { error: (i) => `unknown indicator ${JSON.stringify(i.input)}` })).min(1).max(24),
		from: localTime,
		to: localTime,
		grain: z.enum(['minute', 'hour', 'day', 'month', 'total']),
		region: z.object({ adcode, by: z.enum(['self', 'children']).default('self') }),
		filters: z
			.object({
				department: values(50).optional(),
				item: values(200).optional(),
				channel: z.array(z.enum(['counter', 'web', 'mobile', 'kiosk', 'hotline'])).min(1).optional(),
				ticketType: z.array(z.enum(['complaint', 'request', 'advice', 'inquiry', 'praise'])).min(1).optional(),
				topic: values(50).optional()
			})
			.default({}),
		groupBy: z.array(z.enum(['department', 'item', 'channel', 'ticketType', 'topic'])).max(2).default([]),
		compare: z.enum(['none', 'previousPeriod', 'previousDay', 'previousWeek', 'yoy', 'mom']).default('none')
	})
	.superRefine((r, ctx) => {
		if (r.to <= r.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
		const span = r.to - r.from;
		const limits: Record<string, number> = { minute: 2 * 86_400_000, hour: 62 * 86_400_000, day: 3 * 366 * 86_400_000, month: 20 * 366 * 86_400_000, total: 20 * 366 * 86_400_000 };
		if (span > limits[r.grain]!) ctx.addIssue({ code: 'custom', path: ['grain'], message: `a ${r.grain} series can span at most ${Math.round(limits[r.grain]! / 86_400_000)} days` });
	});

export type QueryRequest = z.output<typeof QueryRequest>;
export type QueryInput = z.input<typeof QueryRequest>;
