// MJML as render-digest.ts sees it in the bench: the real compiler, counted.
import mjml2html from 'mjml';

globalThis.__pressrunMjmlCompiles = 0;
export default function countingMjml2html(...args) {
  globalThis.__pressrunMjmlCompiles++;
  return mjml2html(...args);
}
