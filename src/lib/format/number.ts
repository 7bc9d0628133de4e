/**
 * Numbers as Chinese screens show them: 万 and 亿 with one or two decimals,
 * rates with one decimal (two above 99 %, where the difference matters). Pure.
 */
export function formatCount(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	// The unit is chosen after rounding: 99 999 999 is 1亿, not 10000万; 9 999.6 is 1万, not 10,000.
	if (Math.abs(Math.round(n)) < 1e4) return Math.round(n).toLocaleString('zh-CN');
	const abs = Math.abs(n);
	// Stryker disable next-line EqualityOperator: equivalent at the boundary — 1e5 is 10万 exactly, and 10.0 and 10.00 both trim to 10.
	const wan = (n / 1e4).toFixed(abs >= 1e5 ? 1 : 2);
	if (Math.abs(Number(wan)) < 1e4) return `${trim(wan)}万`;
	// Stryker disable next-line EqualityOperator: equivalent at the boundary — 1e9 is 10亿 exactly, and 10.0 and 10.00 both trim to 10.
	return `${trim((n / 1e8).toFixed(abs >= 1e9 ? 1 : 2))}亿`;
}

export function formatRate(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	return `${n.toFixed(n > 99 && n < 100 ? 2 : 1)}%`;
}

/** Drops trailing zeros of the decimals only (4350 stays 4350; 12.50 becomes 12.5). */
function trim(s: string): string {
	return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** An amount already in 亿 (statistics in 亿元): 1.23万亿 above ten thousand 亿. */
export function formatYi(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	// Stryker disable next-line EqualityOperator: equivalent at the boundary — 100 with 0 or 1 decimal trims to 100 either way (the 1e4 boundary on this line is tested: 10 000 → 1万亿).
	return Math.abs(n) >= 1e4 ? `${trim((n / 1e4).toFixed(2))}万亿` : `${trim(n.toFixed(Math.abs(n) >= 100 ? 0 : 1))}亿`;
}

/** A duration in hours as 分钟 / 小时 / 天. */
export function formatHours(h: number | null | undefined): string {
	if (h === null || h === undefined || Number.isNaN(h)) return '—';
	if (h < 1) return `${Math.round(h * 60)}分钟`;
	if (h < 48) return `${trim(h.toFixed(1))}小时`;
	return `${trim((h / 24).toFixed(1))}天`;
}

/**
 * A change for a KPI tile: percentage points for rates (▲0.8个点, the short form
 * statistics bulletins use),
 * per cent for counts (▼3.2%). `good` says whether the change is good news,
 * given the indicator's polarity (null when there is no change to judge).
 */
export function formatChange(
	kind: 'count' | 'rate' | 'duration',
	change: number | null,
	polarity: 'positive' | 'negative'
): { text: string; arrow: '▲' | '▼' | '—'; good: boolean | null } {
	// Stryker disable next-line ConditionalExpression: equivalent — Number.isFinite(null) is false, so the null test only narrows the type.
	if (change === null || !Number.isFinite(change)) return { text: '—', arrow: '—', good: null };
	const digits = Math.abs(change) >= 100 ? 0 : 1;
	const rounded = Number(change.toFixed(digits));
	if (rounded === 0) return { text: kind === 'rate' ? '持平' : '0%', arrow: '—', good: null };
	// Stryker disable next-line EqualityOperator: rounded is not 0 here, so > and >= agree.
	const arrow = rounded > 0 ? '▲' : '▼';
	const magnitude = Math.abs(rounded).toFixed(digits);
	// Stryker disable next-line EqualityOperator: rounded is not 0 here, so > and >= agree.
	return { text: kind === 'rate' ? `${magnitude}个点` : `${magnitude}%`, arrow, good: rounded > 0 === (polarity === 'positive') };
}

/** An index score or other plain figure with a fixed number of decimals ('—' when missing). */
export function formatFixed(n: number | null | undefined, decimals: number): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	return n.toFixed(decimals);
}
