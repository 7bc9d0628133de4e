/** The shapes the desk components take. */

export interface Chip {
	/** Which filter (removing the chip calls back with it). */
	key: string;
	label: string;
	value: string;
}

export interface Column<Row> {
	key: keyof Row & string;
	label: string;
	numeric?: boolean;
	/** Display text of a value (numbers through src/lib/format). */
	format?: (value: Row[keyof Row], row: Row) => string;
	sortable?: boolean;
}
