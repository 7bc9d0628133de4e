/**
 * A methodology is data: a JSON document naming the indicator tree, each
 * indicator's source, polarity, transform and normalisation, the weights and
 * aggregation of each group, the missing-data rule, the grade bands and the rank
 * tie rule. Validated here with zod; documented in the README.
 */
import { z } from 'zod';

const scale = z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, 'the scale must be [low, high] with high > low');

export const Normalisation = z.discriminatedUnion('kind', [
	/** The value as it is (already on the index's scale). */
	z.object({ kind: z.literal('none') }),
	/** (x − min) / (max − min) over the units, onto `scale` (default [0, 100]). */
	z.object({ kind: z.literal('minMax'), scale: scale.optional() }),
	/** (x − mean) / sd over the units. */
	z.object({ kind: z.literal('zScore') }),
	/** z-score, then min-max onto `scale` (as the UN builds TII). */
	z.object({ kind: z.literal('zScoreMinMax'), scale: scale.optional() }),
	/** x / target, capped at 1 (target / x for negative polarity), onto `scale`. */
	z.object({ kind: z.literal('distanceToTarget'), target: z.number().positive(), scale: scale.optional() }),
	/** (x − min) / (max − min) with fixed goalposts, clamped, onto `scale`. */
	z.object({ kind: z.literal('goalposts'), min: z.number(), max: z.number(), scale: scale.optional() }),
	/** Rank among the units: best → top of `scale`, worst → bottom (ties share the mean). */
	z.object({ kind: z.literal('rank'), scale: scale.optional() }),
	/** Share of units with a worse value (ties count half), onto `scale`. */
	z.object({ kind: z.literal('percentile'), scale: scale.optional() })
]);
export type Normalisation = z.infer<typeof Normalisation>;

export const Transform = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('log') }),
	/** Clamp to the given quantiles of the units' values (e.g. 0.05 and 0.95). */
	z.object({ kind: z.literal('winsorise'), lower: z.number().min(0).max(0.5).default(0.05), upper: z.number().min(0.5).max(1).default(0.95) })
]);
export type Transform = z.infer<typeof Transform>;

/** A ratio of two count columns, with an optional small-sample correction. */
export const Ratio = z.object({
	numerator: z.string().min(1),
	denominator: z.string().min(1),
	/** Multiply the ratio (e.g. 100 for percent). */
	multiplier: z.number().positive().default(1),
	/**
	 * `wilson`: the lower bound of the Wilson score interval at confidence `z`
	 * (default 1.96), so a unit with few observations cannot top a ranking.
	 */
	correction: z.object({ kind: z.literal('wilson'), z: z.number().positive().default(1.96) }).optional()
});
export type Ratio = z.infer<typeof Ratio>;

const labels = {
	name: z.string().optional(),
	nameZh: z.string().optional(),
	definition: z.string().optional()
};

export const Indicator = z
	.object({
		id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'ids are letters, digits and underscores'),
		...labels,
		/** The data column holding the indicator (or use `ratio`). */
		column: z.string().min(1).optional(),
		ratio: Ratio.optional(),
		polarity: z.enum(['positive', 'negative']).default('positive'),
		transform: Transform.optional(),
		normalisation: Normalisation.default({ kind: 'none' }),
		weight: z.number().nonnegative().default(1),
		/** Feasible raw values, for target seeking (e.g. a rate between 0 and 100). */
		bounds: z.object({ min: z.number().optional(), max: z.number().optional() }).optional(),
		/** Relative cost of changing this indicator by its whole range, for target seeking. */
		cost: z.number().positive().default(1),
		unit: z.string().optional()
	})
	.refine((i) => (i.column === undefined) !== (i.ratio === undefined), 'an indicator has either a `column` or a `ratio`');
export type Indicator = z.infer<typeof Indicator>;

export interface Group {
	id: string;
	name?: string;
	nameZh?: string;
	definition?: string;
	weight: number;
	aggregation: 'arithmetic' | 'geometric';
	/** Normalises the group's aggregated scores over the units (e.g. the UN's final min-max of TII). */
	rescale?: Normalisation;
	children: Array<Group | Indicator>;
}

export const Group: z.ZodType<Group, unknown> = z.lazy(() =>
	z.object({
		id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'ids are letters, digits and underscores'),
		...labels,
		weight: z.number().nonnegative().default(1),
		aggregation: z.enum(['arithmetic', 'geometric']).default('arithmetic'),
		rescale: Normalisation.optional(),
		children: z.array(z.union([Group, Indicator])).min(1, 'a group needs at least one child')
	})
) as unknown as z.ZodType<Group, unknown>;

export const GradeBand = z.object({
	id: z.string().min(1),
	label: z.string().min(1),
	labelEn: z.string().optional(),
	/** Lower bound of the band; the last band has none. */
	min: z.number().optional(),
	/** Whether a score equal to `min` belongs to this band (default true). */
	minInclusive: z.boolean().default(true)
});
export type GradeBand = z.infer<typeof GradeBand>;

export const MethodologyDocument = z
	.object({
		id: z.string().min(1),
		name: z.string().min(1),
		nameZh: z.string().optional(),
		description: z.string().optional(),
		/** What is assumed rather than published (e.g. weights). Shown with every result. */
		assumptions: z.array(z.string()).default([]),
		source: z.string().optional(),
		unitColumn: z.string().default('unit'),
		root: Group,
		missing: z
			.object({
				/** skip: re-weight the present siblings; groupMean: impute the mean of the unit's group (or of all units). */
				rule: z.enum(['skip', 'groupMean']).default('skip'),
				groupColumn: z.string().optional(),
				/** A group is missing when less than this share of its weight is present. */
				minCoverage: z.number().min(0).max(1).default(0.5)
			})
			.default({ rule: 'skip', minCoverage: 0.5 }),
		/** Bands from the highest down. */
		grades: z.array(GradeBand).default([]),
		ranking: z
			.object({
				/** shared: 1,1,3 · dense: 1,1,2 · unrounded: by full precision, exact ties shared. */
				ties: z.enum(['shared', 'dense', 'unrounded']).default('shared'),
				/** Display rounding; shared and dense compare the rounded scores. */
				decimals: z.number().int().min(0).max(10).default(2)
			})
			.default({ ties: 'shared', decimals: 2 })
	})
	.superRefine((m, ctx) => {
		const ids = new Set<string>();
		const walk = (n: Group | Indicator) => {
			if (ids.has(n.id)) ctx.addIssue({ code: 'custom', message: `duplicate id '${n.id}'` });
			ids.add(n.id);
			if ('children' in n) n.children.forEach(walk);
		};
		walk(m.root);
		m.grades.forEach((g, i) => {
			if (i < m.grades.length - 1 && g.min === undefined)
				ctx.addIssue({ code: 'custom', message: `grade '${g.id}' needs a min (only the last band has none)` });
			if (i > 0 && g.min !== undefined && m.grades[i - 1]!.min !== undefined && g.min > m.grades[i - 1]!.min!)
				ctx.addIssue({ code: 'custom', message: 'grades go from the highest band down' });
		});
	});
export type Methodology = z.output<typeof MethodologyDocument>;

export class MethodologyError extends Error {}

/** Validates a methodology document, with messages that name the path of each problem. */
export function parseMethodology(doc: unknown): Methodology {
	const r = MethodologyDocument.safeParse(doc);
	if (!r.success) {
		throw new MethodologyError(`invalid methodology:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(document)'}: ${i.message}`).join('\n')}`);
	}
	return r.data;
}

export function isGroup(n: Group | Indicator): n is Group {
	return 'children' in n;
}

export function leaves(root: Group): Indicator[] {
	const out: Indicator[] = [];
	const walk = (n: Group | Indicator) => (isGroup(n) ? n.children.forEach(walk) : out.push(n));
	walk(root);
	return out;
}
