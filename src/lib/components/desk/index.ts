/** The desk components: the frame and controls the three desktop screens share. */
export { default as DeskShell } from './DeskShell.svelte';
export { default as DisplayToggles } from './DisplayToggles.svelte';
export { default as FilterChips } from './FilterChips.svelte';
export { default as DataTable } from './DataTable.svelte';
export { default as ExportMenu } from './ExportMenu.svelte';
export { default as Segmented } from './Segmented.svelte';
export { default as Panel } from './Panel.svelte';
export { settlePanel, dataOr, PANEL_UNAVAILABLE, type PanelState, type SettleOptions } from './panel';
export type { Chip, Column } from './types';
export { display } from './display.svelte';
export { deskPalette, chartFont, LARGE_TYPE_SCALE } from './display';
export { chartClicks, chartPng, download } from './chart-tools';
