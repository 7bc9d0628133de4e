// One module at a time with its static mutants (module-level code, evaluated on import) included, which
// `npm run mutation` leaves out for time: npx stryker run stryker.static.config.mjs --mutate <file>
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
export default { ...base, ignoreStatic: false };
