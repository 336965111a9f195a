/**
 * CDK apps for tests. `new App()` makes its cdk.out folder in the system's temp folder at once,
 * and nothing removes it: each run of the suite left dozens of them behind.
 */
import { rmSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { onTestFinished } from 'vitest';

/** An app whose cdk.out folder goes when the test that made it ends (call it inside a test). */
export function testApp(props?: AppProps): App {
  const app = new App(props);
  onTestFinished(() => removeAssembly(app));
  return app;
}

/** Removes what an app synthesized: Template.fromStack has read its templates into memory, and a later synth works without the folder. */
export function removeAssembly(app: App): void {
  rmSync(app.outdir, { recursive: true, force: true });
}
