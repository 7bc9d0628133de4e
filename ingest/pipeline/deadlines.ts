/**
 * Deadlines a region sets itself, as data: how many working days a 差评 may wait
 * for its rectification, and the time of day from which a receipt counts as the
 * next working day's. Read from ingest/config/deadlines.json (or the file in
 * TIANSHU_DEADLINES); the most specific region wins. The rule itself (the official
 * calendar, day 0, the next working day) is src/lib/time/deadlines.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { setting } from '../../src/lib/server/config.ts';
import { parseCutoff, type Cutoff } from '../../src/lib/time/deadlines.ts';

const days = z.number().int().min(1).max(60);
const regionKey = z.string().regex(/^[1-8]\d{5}$/, 'keys must be GB/T 2260 codes');
/** 'HH:MM', or null for none (a county may lift its province's cut-off). */
const cutoff = z
	.string()
	.transform((text, ctx) => {
		try {
			return parseCutoff(text);
		} catch {
			ctx.addIssue({
				// Stryker disable next-line StringLiteral: equivalent — load() shows each issue's message, never its code.
				code: 'custom',
				message: 'a cut-off is a time of day HH:MM (00:00–23:59), or null for none'
			});
			return z.NEVER;
		}
	})
	.nullable();

export const DeadlineConfig = z.object({
	negativeReviewRectifyDays: z.object({
		default: days,
		regions: z.record(regionKey, days).default({})
	}),
	receiptCutoff: z
		.object({
			default: cutoff,
			regions: z.record(regionKey, cutoff).default({})
		})
		.default({ default: null, regions: {} })
});
/** The file's form ('HH:MM' cut-offs; omitted parts take their defaults). */
export type DeadlineConfig = z.input<typeof DeadlineConfig>;

export const DEFAULT_DEADLINES_FILE = fileURLToPath(new URL('../config/deadlines.json', import.meta.url));

/** The most specific of county, city, province; then the default. */
function mostSpecific<T>(rules: Map<number, T>, fallback: T, adcode: number, cityCode: number, provinceCode: number): T {
	for (const code of [adcode, cityCode, provinceCode]) if (rules.has(code)) return rules.get(code)!;
	return fallback;
}

const byCode = <T>(regions: Record<string, T>) => new Map(Object.entries(regions).map(([k, v]) => [Number(k), v]));

export class DeadlinePolicy {
	private readonly rectify: Map<number, number>;
	private readonly rectifyDefault: number;
	private readonly cutoffs: Map<number, Cutoff>;
	private readonly cutoffDefault: Cutoff;

	constructor(input: DeadlineConfig) {
		const config = DeadlineConfig.parse(input);
		this.rectify = byCode(config.negativeReviewRectifyDays.regions);
		this.rectifyDefault = config.negativeReviewRectifyDays.default;
		this.cutoffs = byCode(config.receiptCutoff.regions);
		this.cutoffDefault = config.receiptCutoff.default;
	}

	static load(file = setting('TIANSHU_DEADLINES') ?? DEFAULT_DEADLINES_FILE): DeadlinePolicy {
		let raw: unknown;
		try {
			// Stryker disable next-line StringLiteral: equivalent — with no encoding readFileSync gives a Buffer, which JSON.parse reads as UTF-8 too.
			raw = JSON.parse(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new Error(`cannot read the deadlines file ${file}: ${(e as Error).message}`);
		}
		const parsed = DeadlineConfig.safeParse(raw);
		// A bad region key is reported by zod as "Invalid key in record" with the key's own message nested inside: show that one.
		// Stryker disable next-line StringLiteral: equivalent — a region key has one rule (its pattern), so a bad key nests one message and the separator never shows.
		const message = (i: z.core.$ZodIssue) => (i.code === 'invalid_key' ? i.issues.map((k) => k.message).join(', ') : i.message);
		if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${message(i)}`).join('; ')}`);
		return new DeadlinePolicy(raw as DeadlineConfig);
	}

	/** Working days to rectify a 差评 in a county (its city's and province's rules apply when it has none). */
	rectifyDays(adcode: number, cityCode: number, provinceCode: number): number {
		return mostSpecific(this.rectify, this.rectifyDefault, adcode, cityCode, provinceCode);
	}

	/** The receipt cut-off (minutes after Beijing midnight) in a county, or null when receipts count on their own working day. */
	receiptCutoff(adcode: number, cityCode: number, provinceCode: number): Cutoff {
		return mostSpecific(this.cutoffs, this.cutoffDefault, adcode, cityCode, provinceCode);
	}
}
