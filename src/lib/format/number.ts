/**
 * Numbers as Chinese screens show them: 万 and 亿 with one or two decimals,
 * rates with one decimal (two above 99 %, where the difference matters). Pure.
 */
export function formatCount(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	const abs = Math.abs(n);
	if (abs >= 1e8) return `${trim((n / 1e8).toFixed(abs >= 1e9 ? 1 : 2))}亿`;
	if (abs >= 1e4) return `${trim((n / 1e4).toFixed(abs >= 1e5 ? 1 : 2))}万`;
	return Math.round(n).toLocaleString('zh-CN');
}

export function formatRate(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	return `${n.toFixed(n > 99 && n < 100 ? 2 : 1)}%`;
}

function trim(s: string): string {
	return s.replace(/\.?0+$/, '');
}
