// Module hooks for the delivery bench: render-digest.ts's `import mjml2html from 'mjml'` gets
// a wrapper that counts every MJML compile in globalThis.__pressrunMjmlCompiles.
const wrapper = new URL('./counting-mjml.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'mjml' && context.parentURL?.includes('/functions/core/digest/render-digest.'))
    return { url: wrapper, shortCircuit: true };
  return next(specifier, context);
}
