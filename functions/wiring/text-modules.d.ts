// Templates are bundled as text (esbuild's text loader; cdk/bundling.ts): an import yields the file's contents.
declare module '*.mjml' {
  const text: string;
  export default text;
}
