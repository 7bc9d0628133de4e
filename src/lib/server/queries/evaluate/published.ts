/**
 * Published results to compare a computed index with: the 一体化政务服务能力
 * 总体指数 as the report printed it, and the UN EGDI. Published statistics: no
 * scope (the scope rule lets everyone read them).
 */
import { rows, type QueryCtx } from '../statement.ts';

export interface PublishedCapability {
	edition: number;
	dataYear: number;
	adcode: number;
	name: string;
	score: number | null;
	rank: number | null;
	note: string;
	sourceUrl: string;
}

/** One edition of the capability report (the latest when `edition` is undefined). */
export async function publishedCapability(ctx: Pick<QueryCtx, 'warehouse'>, edition?: number): Promise<PublishedCapability[]> {
	const r = await rows<{
		edition: number;
		data_year: number;
		adcode: number;
		name: string;
		overall_index: number | null;
		published_rank: number | null;
		note: string;
		source_url: string;
	}>(
		ctx,
		`SELECT edition, data_year, adcode, name, overall_index, published_rank, note, source_url
		 FROM capability_index_published FINAL
		 WHERE edition = if({edition:Nullable(UInt16)} IS NULL, (SELECT max(edition) FROM capability_index_published), {edition:Nullable(UInt16)})
		 ORDER BY adcode`,
		{ edition: edition ?? null }
	);
	return r.map((x) => ({
		edition: Number(x.edition),
		dataYear: Number(x.data_year),
		adcode: Number(x.adcode),
		name: x.name,
		score: x.overall_index === null ? null : Number(x.overall_index),
		rank: x.published_rank === null ? null : Number(x.published_rank),
		note: x.note,
		sourceUrl: x.source_url
	}));
}

export interface PublishedEgdi {
	surveyYear: number;
	country: string;
	egdi: number;
	osi: number;
	hci: number;
	tii: number;
	rank: number;
	sourceUrl: string;
}

/** One UN survey (the latest when `year` is undefined). */
export async function publishedEgdi(ctx: Pick<QueryCtx, 'warehouse'>, year?: number): Promise<PublishedEgdi[]> {
	const r = await rows<{
		survey_year: number;
		country: string;
		egdi: number;
		osi: number;
		hci: number;
		tii: number;
		published_rank: number;
		source_url: string;
	}>(
		ctx,
		`SELECT survey_year, country, egdi, osi, hci, tii, published_rank, source_url
		 FROM egdi_published FINAL
		 WHERE survey_year = if({year:Nullable(UInt16)} IS NULL, (SELECT max(survey_year) FROM egdi_published), {year:Nullable(UInt16)})
		 ORDER BY published_rank, country`,
		{ year: year ?? null }
	);
	return r.map((x) => ({
		surveyYear: Number(x.survey_year),
		country: x.country,
		egdi: Number(x.egdi),
		osi: Number(x.osi),
		hci: Number(x.hci),
		tii: Number(x.tii),
		rank: Number(x.published_rank),
		sourceUrl: x.source_url
	}));
}
