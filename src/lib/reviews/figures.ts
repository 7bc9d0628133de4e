/**
 * The 好差评 overview's figures from daily counts (GB/T 39735-2020 政务服务评价工作指南 and GB/T 39734-2020
 * 一次一评、一事一评工作规范 name them; the wording below is Tianshu's paraphrase of their definitions, not a quotation).
 * A 差评 whose appeal was upheld (申诉成立) leaves every denominator and numerator: it was found not to be the
 * service's fault. Pure: counts in, percentages (0–100) and counts out.
 */

export type FigureId =
	| 'positiveRate'
	| 'reviewRate'
	| 'unreviewedRate'
	| 'negativeCount'
	| 'replyRate'
	| 'rectifiedRate'
	| 'followUpRate'
	| 'followUpSatisfiedRate'
	| 'rectifiedOnTimeRate';

export interface DayCounts {
	/** Beijing date. */
	date: string;
	reviews: number;
	positive: number;
	negative: number;
	completed: number;
	/** The day's 差评 cohort (by the date received) and its handling. */
	cohort: number;
	upheld: number;
	replied: number;
	rectified: number;
	followed_up: number;
	satisfied: number;
	rated: number;
	rectified_on_time: number;
	with_deadline: number;
}

export const ZERO: Omit<DayCounts, 'date'> = {
	reviews: 0,
	positive: 0,
	negative: 0,
	completed: 0,
	cohort: 0,
	upheld: 0,
	replied: 0,
	rectified: 0,
	followed_up: 0,
	satisfied: 0,
	rated: 0,
	rectified_on_time: 0,
	with_deadline: 0
};

export function addCounts(a: Omit<DayCounts, 'date'>, b: Omit<DayCounts, 'date'>): Omit<DayCounts, 'date'> {
	const out = { ...a };
	for (const k of Object.keys(ZERO) as Array<keyof typeof ZERO>) out[k] = a[k] + b[k];
	return out;
}

export interface FigureDef {
	id: FigureId;
	nameZh: string;
	unit: '%' | '条';
	/** Higher is better (+1) or worse (−1). */
	polarity: 1 | -1;
	/** The definition in the standard's terms (paraphrased). */
	definition: string;
	/** Numerator and denominator of the counts; for a count, the count and 1. */
	of: (c: Omit<DayCounts, 'date'>) => [number, number];
}

const pct = (n: number, d: number): [number, number] => [n, d];

export const FIGURES: readonly FigureDef[] = [
	{
		id: 'positiveRate',
		nameZh: '好评率',
		unit: '%',
		polarity: 1,
		// 好评率：评价为"非常满意""满意""基本满意"的评价数占评价总数的比例（申诉成立的差评不计入）。
		definition: '好评率 = 非常满意、满意、基本满意的评价数 ÷ 评价总数（申诉成立的差评不计入分子分母）',
		of: (c) => pct(c.positive, c.reviews - c.upheld)
	},
	{
		id: 'reviewRate',
		nameZh: '主动评价率',
		unit: '%',
		polarity: 1,
		// 主动评价率：办事企业和群众主动评价的办件数占办件总量的比例（按评价数近似已评价办件，最高 100%）。
		definition: '主动评价率 = 主动评价的办件数 ÷ 办结办件数（以评价数计，最高 100%）',
		of: (c) => pct(Math.min(c.reviews, c.completed), c.completed)
	},
	{
		id: 'unreviewedRate',
		nameZh: '未评率',
		unit: '%',
		polarity: -1,
		// 未评率：未作评价的办件数占办件总量的比例，即 1 − 主动评价率。
		definition: '未评率 = 未评价的办结办件数 ÷ 办结办件数',
		of: (c) => pct(Math.max(0, c.completed - c.reviews), c.completed)
	},
	{
		id: 'negativeCount',
		nameZh: '差评数',
		unit: '条',
		polarity: -1,
		// 差评：评价为"不满意""非常不满意"的评价；申诉成立的不计入。
		definition: '差评数 = 评价为不满意、非常不满意的评价数（申诉成立的不计入）',
		of: (c) => [c.negative - c.upheld, 1]
	},
	{
		id: 'replyRate',
		nameZh: '差评回复率',
		unit: '%',
		polarity: 1,
		// 差评回复率：已核实并回复的差评数占差评总数的比例（本期收到的差评中，截至当前已回复的）。
		definition: '差评回复率 = 本期收到的差评中已核实或回复的差评数 ÷ 本期差评数',
		of: (c) => pct(c.replied, c.cohort - c.upheld)
	},
	{
		id: 'rectifiedRate',
		nameZh: '差评整改率',
		unit: '%',
		polarity: 1,
		// 差评整改率：已整改的差评数占差评总数的比例（队列口径，不超过 100%）。
		definition: '差评整改率 = 本期收到的差评中截至当前已整改的差评数 ÷ 本期差评数',
		of: (c) => pct(c.rectified, c.cohort - c.upheld)
	},
	{
		id: 'followUpRate',
		nameZh: '差评回访率',
		unit: '%',
		polarity: 1,
		// 回访整改率：整改后对评价人进行回访的差评数占差评总数的比例。
		definition: '差评回访率 = 本期收到的差评中截至当前已回访的差评数 ÷ 本期差评数',
		of: (c) => pct(c.followed_up, c.cohort - c.upheld)
	},
	{
		id: 'followUpSatisfiedRate',
		nameZh: '回访整改满意率',
		unit: '%',
		polarity: 1,
		// 回访整改满意率：回访中评价人对整改结果表示满意（基本满意及以上）的差评数占回访差评数的比例。
		definition: '回访整改满意率 = 回访时对整改表示基本满意及以上的差评数 ÷ 回访并给出满意度的差评数',
		of: (c) => pct(c.satisfied, c.rated)
	},
	{
		id: 'rectifiedOnTimeRate',
		nameZh: '整改及时率',
		unit: '%',
		polarity: 1,
		// 整改及时率：在本地规定的整改时限（工作日）内完成整改的差评数占有整改时限的差评数的比例。
		definition: '整改及时率 = 在整改时限（按本地工作日规则）内整改的差评数 ÷ 有整改时限的差评数',
		of: (c) => pct(c.rectified_on_time, c.with_deadline)
	}
];

/** A figure by its id. */
export function figure(id: FigureId): FigureDef {
	return FIGURES.find((f) => f.id === id)!;
}

/**
 * The reviews and 差评 that count: those whose appeal was upheld (a 差评 of the period's cohort, upheld by the
 * instant) are taken out, as every figure above takes them out. The satisfaction index's inputs (/reviews'
 * rankings and the cockpit's alike) are counted so.
 */
export function countedReviews(c: { reviews: number; negative: number; upheld: number }): { reviews: number; negative: number } {
	return { reviews: Math.max(0, c.reviews - c.upheld), negative: Math.max(0, c.negative - c.upheld) };
}

/** 已评价办件 for the satisfaction index: the reviews that count (一次一评: one per case), at most the completed cases — as 主动评价率 counts them. */
export const reviewedCases = (reviews: number, completed: number): number => Math.min(reviews, completed);

/** A figure's value: a percentage (null without a denominator) or a count. */
export function valueOf(def: FigureDef, c: Omit<DayCounts, 'date'>): number | null {
	const [n, d] = def.of(c);
	if (def.unit === '条') return n;
	return d > 0 ? (100 * n) / d : null;
}

export function total(days: readonly Omit<DayCounts, 'date'>[]): Omit<DayCounts, 'date'> {
	return days.reduce<Omit<DayCounts, 'date'>>((s, d) => addCounts(s, d), { ...ZERO });
}

/** The Monday (Beijing date) of a date's week. */
export function weekOf(date: string): string {
	const ms = Date.parse(`${date}T00:00:00Z`);
	const weekday = (new Date(ms).getUTCDay() + 6) % 7;
	return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** Days summed into weeks (Monday to Sunday), in order. */
export function weeks(days: readonly DayCounts[]): DayCounts[] {
	const by = new Map<string, Omit<DayCounts, 'date'>>();
	for (const d of days) {
		const w = weekOf(d.date);
		by.set(w, addCounts(by.get(w) ?? { ...ZERO }, d));
	}
	return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([date, c]) => ({ date, ...c }));
}
