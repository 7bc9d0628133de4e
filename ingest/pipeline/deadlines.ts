/**
 * Deadlines a region sets itself, as data: how many working days a 差评 may wait
 * for its rectification. Read from ingest/config/deadlines.json (or the file in
 * TIANSHU_DEADLINES); the most specific region wins.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { setting } from '../../src/lib/server/config.ts';

const days = z.number().int().min(1).max(60);

export const DeadlineConfig = z.object({
	negativeReviewRectifyDays: z.object({
		default: days,
		regions: z.record(z.string().regex(/^[1-8]\d{5}$/, 'keys must be GB/T 2260 codes'), days).default({})
	})
});
export type DeadlineConfig = z.output<typeof DeadlineConfig>;

export const DEFAULT_DEADLINES_FILE = fileURLToPath(new URL('../config/deadlines.json', import.meta.url));

export class DeadlinePolicy {
	private readonly rectify: Map<number, number>;
	private readonly rectifyDefault: number;

	constructor(config: DeadlineConfig) {
		this.rectify = new Map(Object.entries(config.negativeReviewRectifyDays.regions).map(([k, v]) => [Number(k), v]));
		this.rectifyDefault = config.negativeReviewRectifyDays.default;
	}

	static load(file = setting('TIANSHU_DEADLINES') ?? DEFAULT_DEADLINES_FILE): DeadlinePolicy {
		let raw: unknown;
		try {
			raw = JSON.parse(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new Error(`cannot read the deadlines file ${file}: ${(e as Error).message}`);
		}
		const parsed = DeadlineConfig.safeParse(raw);
		if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		return new DeadlinePolicy(parsed.data);
	}

	/** Working days to rectify a 差评 in a county (its city's and province's rules apply when it has none). */
	rectifyDays(adcode: number, cityCode: number, provinceCode: number): number {
		return this.rectify.get(adcode) ?? this.rectify.get(cityCode) ?? this.rectify.get(provinceCode) ?? this.rectifyDefault;
	}
}
