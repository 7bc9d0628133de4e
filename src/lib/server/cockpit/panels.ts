/**
 * Kept so existing imports work: the panels live one module each in ./panels/,
 * with the dispatcher `computePanel` in ./panels/index.ts.
 */
export { computePanel, economy, geoOf, header, kpis, map, rankings, reviews, services, ticker } from './panels/index.ts';
