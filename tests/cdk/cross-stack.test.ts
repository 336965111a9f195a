/**
 * The stateless stack reads the stateful stack's values as weak references (Fn::GetStackOutput,
 * cdk.json's @aws-cdk/core:defaultCrossStackReferences): no export, so CloudFormation never
 * refuses to replace a stateful resource because another stack imports it ("export in use").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesize, type Synthesized } from './harness.js';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';
const exportsOf = (s: Synthesized) =>
  Object.values((s.stateful.toJSON() as { Outputs: Record<string, { Export?: { Name: string } }> }).Outputs)
    .flatMap((o) => (o.Export ? [o.Export.Name] : []))
    .sort();
const importsIn = (s: Synthesized) => JSON.stringify(s.stateless.toJSON()).match(/Fn::ImportValue/g) ?? [];

describe('references between the stacks', () => {
  it('are weak by default (cdk.json)', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
    expect(cdkJson.context[CROSS_STACK_REFERENCES]).toBe('weak');
  });

  it.each(['dev', 'prod'])('%s: the stateful stack exports nothing and the stateless one imports nothing', (stage) => {
    const s = synthesize(stage);
    expect(exportsOf(s)).toEqual([]);
    expect(importsIn(s)).toEqual([]);
  });

  it('name only outputs the stateful stack has, in its own region', () => {
    const s = synthesize('dev');
    const outputs = Object.keys((s.stateful.toJSON() as { Outputs: Record<string, unknown> }).Outputs);
    const references = [...JSON.stringify(s.stateless.toJSON()).matchAll(/\{"Fn::GetStackOutput":(\{[^{}]*\{[^{}]*\}[^{}]*\})\}/g)].map(
      (m) => JSON.parse(m[1]!) as { StackName: string; Region: unknown; OutputName: string },
    );
    expect(references.length).toBeGreaterThan(10);
    for (const reference of references) {
      expect(reference.StackName).toBe('Pressrun-dev-stateful');
      expect(reference.Region).toEqual({ Ref: 'AWS::Region' });
      expect(outputs).toContain(reference.OutputName);
    }
  });

  it('move an existing deployment over in one transitional deploy (both): the stateless stack lets go of every import while the stateful stack still exports what it imported', () => {
    const both = synthesize('dev', {}, undefined, { [CROSS_STACK_REFERENCES]: 'both' });
    expect(importsIn(both)).toEqual([]);
    // The one export named by hand before (the publish function's grant), kept in the transitional deploy like the others.
    expect(exportsOf(both)).toContain('Pressrun-dev-stateful-SiteBucketArn');
    // Every export the stacks made with strong references (the same resources, the same generated names).
    const strong = synthesize('dev', {}, undefined, { [CROSS_STACK_REFERENCES]: 'strong' });
    expect(exportsOf(strong).length).toBeGreaterThanOrEqual(20);
    expect(exportsOf(both)).toEqual(expect.arrayContaining(exportsOf(strong)));
  });
});
