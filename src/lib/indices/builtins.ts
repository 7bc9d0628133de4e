/** The built-in methodologies, validated once. */
import egdi from './builtins/egdi.json';
import egdiHci from './builtins/egdi-hci.json';
import egdiTii from './builtins/egdi-tii.json';
import capability from './builtins/capability.json';
import capabilityPublished from './builtins/capability-published.json';
import satisfaction from './builtins/satisfaction.json';
import { parseMethodology, type Methodology } from './methodology.ts';

const documents: Record<string, unknown> = {
	egdi,
	'egdi-hci': egdiHci,
	'egdi-tii': egdiTii,
	capability,
	'capability-published': capabilityPublished,
	satisfaction
};

let parsed: Record<string, Methodology> | undefined;

export function builtinMethodologies(): Record<string, Methodology> {
	parsed ??= Object.fromEntries(Object.entries(documents).map(([id, doc]) => [id, parseMethodology(doc)]));
	return parsed;
}

export function builtinMethodology(id: string): Methodology | undefined {
	return builtinMethodologies()[id];
}
