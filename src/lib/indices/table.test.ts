import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinMethodology } from './builtins.ts';
import { compute } from './engine.ts';
import { leaves } from './methodology.ts';
import { cellValue, parseTable, tableFromCells } from './table.ts';

const egdiFile = path.join(import.meta.dirname, '../../../ingest/reference/statistics/egdi_2018.csv');

describe('numbers in cells', () => {
	it('reads thousands separators, percent signs and the missing markers', () => {
		expect(cellValue('1,234.5')).toBe(1234.5);
		expect(cellValue('12,345,678')).toBe(12345678);
		expect(cellValue('1 234')).toBe(1234);
		expect(cellValue('85%')).toBe(85);
		expect(cellValue(' 85.5 % ')).toBe(85.5);
		expect(cellValue('-0.25')).toBe(-0.25);
		expect(cellValue('1e3')).toBe(1000);
		for (const m of ['', '-', '—', '..', 'NA', 'n/a']) expect(cellValue(m), m).toBeNull();
		// Not numbers: a comma in the wrong place, words, two numbers.
		for (const bad of ['1,23', '12,34,567', 'abc', '1.2.3', '85%%', '3 4']) expect(cellValue(bad), bad).toBeUndefined();
	});
});

describe('CSV tables', () => {
	it('drops a BOM, reads quotes (with commas, doubled quotes and line breaks) and keeps missing as missing', () => {
		const text = '\uFEFFunit,a,b,note\n"Bosnia, and ""H""",1,"1,200","two\nlines"\nB,,50%,x\n';
		const r = parseTable(text, { unitColumn: 'unit' });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.columns).toEqual(['unit', 'a', 'b', 'note']);
		expect(r.rows).toEqual([
			{ unit: 'Bosnia, and "H"', a: 1, b: 1200, note: 'two\nlines' },
			{ unit: 'B', a: '', b: 50, note: 'x' }
		]);
		expect(r.numericColumns).toEqual(['a', 'b']);
	});

	it('takes semicolons or tabs as the delimiter when the header has them', () => {
		const r = parseTable('unit;x\nA;1,5%\n'.replace('1,5%', '15%'));
		expect(r.ok && r.rows).toEqual([{ unit: 'A', x: 15 }]);
		const t = parseTable('unit\tx\nA\t2\n');
		expect(t.ok && t.rows).toEqual([{ unit: 'A', x: 2 }]);
	});

	it('names the row and the column of a cell that is not a number', () => {
		const r = parseTable('country,osi,hci,tii\nA,0.5,0.5,0.5\nB,0.4,zero,0.4\n', { unitColumn: 'country', numericColumns: ['osi', 'hci', 'tii'] });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.issues).toEqual([{ row: 3, column: 'hci', message: '“zero”不是数字' }]);
		expect(r.message).toContain('第 3 行「hci」列');
	});

	it('names a missing column, a repeated unit, an extra cell and an unclosed quote', () => {
		const missing = parseTable('country,osi\nA,1\n', { unitColumn: 'country', numericColumns: ['osi', 'tii'] });
		expect(!missing.ok && missing.issues).toEqual([{ row: 1, column: 'tii', message: '缺少这一列' }]);
		const twice = parseTable('country,osi\nA,1\nB,2\nA,3\n', { unitColumn: 'country' });
		expect(!twice.ok && twice.issues).toEqual([{ row: 4, column: 'country', message: '“A”与第 2 行重复' }]);
		const extra = parseTable('country,osi\nA,1,2\n', { unitColumn: 'country' });
		expect(!extra.ok && extra.issues[0]).toMatchObject({ row: 2 });
		const quote = parseTable('country,osi\nA,1\n"B,2\nC,3\n');
		expect(!quote.ok && quote.issues).toEqual([{ row: 3, message: '引号没有闭合' }]);
	});

	it('counts the rows as a spreadsheet does when a quoted cell spans lines', () => {
		const r = parseTable('unit,x,note\nA,1,"a\nb"\nB,oops,c\n', { numericColumns: ['x'] });
		expect(!r.ok && r.issues).toEqual([{ row: 4, column: 'x', message: '“oops”不是数字' }]);
	});

	it('reads cells from a spreadsheet (numbers as numbers)', () => {
		const r = tableFromCells(
			['unit', 'x'],
			[
				['A', 0.5],
				['B', '1,000']
			],
			{ unitColumn: 'unit', numericColumns: ['x'] }
		);
		expect(r.ok && r.rows).toEqual([
			{ unit: 'A', x: 0.5 },
			{ unit: 'B', x: 1000 }
		]);
	});
});

describe('the EGDI 2018 file, uploaded', () => {
	it('computes with the built-in EGDI to Denmark first and every published rank', () => {
		const text = readFileSync(egdiFile, 'utf8');
		const m = builtinMethodology('egdi')!;
		const r = parseTable(text, { unitColumn: m.unitColumn, numericColumns: leaves(m.root).map((l) => l.column!) });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.rows).toHaveLength(193);
		const result = compute(m, r.rows);
		const first = result.units.find((u) => u.rank === 1)!;
		expect(first.unit).toBe('Denmark');
		// The published ranks are the file's own `rank` column (read here as text, independently of the parser).
		const published = new Map(
			text
				.trim()
				.split('\n')
				.slice(1)
				.map((line) => {
					const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
					return [cells[0]!, Number(cells[5])] as const;
				})
		);
		expect(published.size).toBe(193);
		for (const u of result.units) expect(u.rank, u.unit).toBe(published.get(u.unit));
	});

	it('a broken copy gets an error naming its row and column', () => {
		const lines = readFileSync(egdiFile, 'utf8').split('\n');
		lines[4] = lines[4]!.replace(/^([^,]*,[^,]*),[^,]*/, '$1,0.9x');
		const m = builtinMethodology('egdi')!;
		const r = parseTable(lines.join('\n'), { unitColumn: m.unitColumn, numericColumns: ['osi', 'hci', 'tii'] });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.issues).toEqual([{ row: 5, column: 'osi', message: '“0.9x”不是数字' }]);
	});
});
