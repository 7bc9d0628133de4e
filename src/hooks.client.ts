import { z } from 'zod';

// The Content-Security-Policy allows no eval (svelte.config.js). zod's first object parse would
// otherwise probe for it with `new Function`, which the browser reports as a violation even though
// zod catches the error; without the probe zod validates the same way, without generated code.
z.config({ jitless: true });
