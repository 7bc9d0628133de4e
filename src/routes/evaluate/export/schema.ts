/**
 * What the workbench posts to /evaluate/export: the views as they are on screen
 * (the index is computed in the browser), the methodology and the data source.
 * Shared by the page (to build the body) and the route (to check it). Bounded.
 */
import { z } from 'zod';

const text = (max: number) => z.string().max(max);

export const EXPORT_VIEWS = ['table', 'uncertainty', 'whatIf', 'target'] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];

/** Sheet names, one per view, in the order written. */
export const VIEW_SHEETS: Record<ExportView, string> = {
	table: '结果',
	uncertainty: '不确定性',
	whatIf: '情景模拟',
	target: '目标测算'
};

export const ExportColumn = z.strictObject({
	key: text(64),
	label: text(100),
	unit: text(20).optional(),
	/** Display decimals of a numeric column (the cell keeps the full number). */
	decimals: z.number().int().min(0).max(10).optional()
});

export const ExportSheet = z.strictObject({
	view: z.enum(EXPORT_VIEWS),
	/** A line above the table (e.g. the unit and target of a target search). */
	caption: text(300).optional(),
	columns: z.array(ExportColumn).min(1).max(80),
	rows: z.array(z.record(text(64), z.union([z.number(), z.string().max(500), z.boolean(), z.null()]))).max(5000)
});
export type ExportSheet = z.infer<typeof ExportSheet>;

export const ExportBody = z.strictObject({
	title: text(100).default('评估结果'),
	methodology: z.strictObject({
		id: text(64),
		name: text(200),
		source: text(500).optional(),
		assumptions: z.array(text(1000)).max(30).default([]),
		/** Weights as edited, if they differ from the methodology's. */
		weights: z.record(text(64), z.number()).optional()
	}),
	dataSource: z.strictObject({
		kind: z.enum(['live', 'upload']),
		label: text(200),
		period: text(100).optional(),
		/** The region whose units are ranked (0: the provinces); recorded in the audit log. */
		region: z.number().int().min(0).max(829999).optional(),
		provenance: z
			.array(z.strictObject({ indicator: text(64), nameZh: text(100), status: text(20), note: text(300).optional() }))
			.max(200)
			.optional()
	}),
	sheets: z.array(ExportSheet).min(1).max(EXPORT_VIEWS.length)
});
export type ExportBody = z.input<typeof ExportBody>;
