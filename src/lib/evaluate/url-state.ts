/**
 * The workbench's state in its URL, so a view and a what-if scenario can be
 * shared as a link: methodology, data source, view, the selected unit and the
 * scenario's edits (JSON, validated on the way back in — a crafted link cannot
 * put anything but numbers into the engine).
 */
import { z } from 'zod';
import { ScenarioEdits, emptyEdits, editCount } from './what-if.svelte.ts';

export const VIEWS = ['results', 'uncertainty', 'whatif', 'target'] as const;
export type View = (typeof VIEWS)[number];

/** A data source: live for a year (provinces, or the cities of a province), or an uploaded table (not restorable from a link). */
export const Source = z.union([
	z.object({ kind: z.literal('live'), level: z.literal('province'), year: z.number().int().min(2000).max(2100) }),
	z.object({
		kind: z.literal('live'),
		level: z.literal('city'),
		province: z.number().int().min(110000).max(829999),
		year: z.number().int().min(2000).max(2100)
	}),
	z.object({ kind: z.literal('upload'), name: z.string().max(200) })
]);
export type Source = z.infer<typeof Source>;

/** What the results are compared with: nothing, the previous year's live data, or a published result. */
export const BASELINES = ['none', 'previous', 'published'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface WorkbenchState {
	methodology: string;
	source: Source | null;
	baseline: Baseline;
	view: View;
	unit: string | null;
	edits: ScenarioEdits;
}

export function sourceKey(s: Source): string {
	if (s.kind === 'upload') return `upload:${s.name}`;
	return s.level === 'province' ? `live:province:${s.year}` : `live:city:${s.province}:${s.year}`;
}

export function parseSource(text: string | null): Source | null {
	if (!text) return null;
	const parts = text.split(':');
	const candidate =
		parts[0] === 'live' && parts[1] === 'province'
			? { kind: 'live', level: 'province', year: Number(parts[2]) }
			: parts[0] === 'live' && parts[1] === 'city'
				? { kind: 'live', level: 'city', province: Number(parts[2]), year: Number(parts[3]) }
				: parts[0] === 'upload'
					? { kind: 'upload', name: parts.slice(1).join(':') }
					: null;
	const r = Source.safeParse(candidate);
	return r.success ? r.data : null;
}

export function encodeState(s: WorkbenchState): URLSearchParams {
	const q = new URLSearchParams();
	q.set('m', s.methodology);
	if (s.source) q.set('src', sourceKey(s.source));
	if (s.baseline !== 'none') q.set('base', s.baseline);
	if (s.view !== 'results') q.set('view', s.view);
	if (s.unit) q.set('unit', s.unit);
	if (editCount(s.edits) > 0) q.set('edits', JSON.stringify(s.edits));
	return q;
}

export function decodeState(q: URLSearchParams, defaults: { methodology: string }): WorkbenchState {
	const view = q.get('view');
	const base = q.get('base');
	let edits = emptyEdits();
	const raw = q.get('edits');
	if (raw && raw.length <= 20_000) {
		try {
			const r = ScenarioEdits.safeParse(JSON.parse(raw));
			if (r.success) edits = r.data;
		} catch {
			// A damaged link: no edits rather than an error page.
		}
	}
	return {
		methodology: q.get('m')?.slice(0, 100) || defaults.methodology,
		source: parseSource(q.get('src')),
		baseline: (BASELINES as readonly string[]).includes(base ?? '') ? (base as Baseline) : 'none',
		view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'results',
		unit: q.get('unit')?.slice(0, 200) || null,
		edits
	};
}
