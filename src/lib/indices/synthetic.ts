/**
 * A synthetic evaluation of a given size (units × indicators in five groups),
 * seeded: for benchmarks and for trying the simulator without real data.
 */
import { Random } from '../random.ts';
import { parseMethodology, type Methodology } from './methodology.ts';
import type { Row } from './engine.ts';

export function syntheticEvaluation(units: number, indicators: number, seed = 1): { methodology: Methodology; rows: Row[] } {
	const random = new Random(seed);
	const groups = 5;
	const methodology = parseMethodology({
		id: 'synthetic',
		name: `${units} units × ${indicators} indicators`,
		root: {
			id: 'overall',
			children: Array.from({ length: groups }, (_, g) => ({
				id: `g${g}`,
				weight: 1 + g,
				children: Array.from({ length: indicators }, (_, i) => i)
					.filter((i) => i % groups === g)
					.map((i) => ({
						id: `i${i}`,
						column: `x${i}`,
						weight: 1 + (i % 3),
						normalisation: { kind: 'minMax' },
						polarity: i % 7 === 0 ? 'negative' : 'positive'
					}))
			}))
		},
		grades: [
			{ id: 'veryHigh', label: '非常高', min: 90, minInclusive: false },
			{ id: 'high', label: '高', min: 80 },
			{ id: 'medium', label: '中' }
		],
		ranking: { ties: 'shared', decimals: 2 }
	});
	const rows = Array.from({ length: units }, (_, u) => {
		const quality = random.next();
		return {
			unit: `unit${u}`,
			...Object.fromEntries(Array.from({ length: indicators }, (_, i) => [`x${i}`, Math.round((50 + 40 * quality + 15 * random.normal()) * 100) / 100]))
		};
	});
	return { methodology, rows };
}
