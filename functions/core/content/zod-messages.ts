/**
 * zod/mini loads no locale, so an issue without a message of our own would say only
 * "Invalid input". The English locale (and only it) gives those the wording classic zod has.
 * Importing this module configures zod once for the process.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
