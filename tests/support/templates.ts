/** The publisher's templates, read from disk here and handed to the core as text (the core never reads files). */
import { readFileSync } from 'node:fs';

export const digestTemplate = (): string => readFileSync(new URL('../../templates/digest.mjml', import.meta.url), 'utf8');
