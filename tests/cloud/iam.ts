/**
 * Least privilege, measured: is an operation a function made allowed by its role's policies in
 * the synthesized template (resolved against moto's resources)? Allow and Deny statements,
 * Action/NotAction, Resource/NotResource with IAM's `*` and `?` wildcards. Conditions are not
 * evaluated (they only narrow an Allow, so an operation they would refuse still shows as
 * allowed here); managed policies are named, not evaluated.
 */
import type { SynthesizedStack } from './assembly.js';
import type { Deployment } from './deployment.js';
import type { Operation } from './recording-proxy.js';

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

export interface RolePolicy {
  statements: Statement[];
  managedPolicyArns: string[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const wildcard = (pattern: string, caseInsensitive: boolean) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'i' : '',
  );

const matchesAny = (patterns: string[], value: string, caseInsensitive: boolean) =>
  patterns.some((p) => wildcard(p, caseInsensitive).test(value));

function applies(statement: Statement, action: string, resource: string): boolean {
  const actionOk = statement.Action
    ? matchesAny(list(statement.Action), action, true)
    : !matchesAny(list(statement.NotAction), action, true);
  if (!actionOk) return false;
  return statement.Resource
    ? matchesAny(list(statement.Resource), resource, false)
    : !matchesAny(list(statement.NotResource), resource, false);
}

/** Allowed when some Allow statement covers the action on every resource and no Deny covers it on any. */
export function allowed(policy: RolePolicy, op: Pick<Operation, 'action' | 'resources'>): boolean {
  return op.resources.every(
    (resource) =>
      policy.statements.some((s) => s.Effect === 'Allow' && applies(s, op.action, resource)) &&
      !policy.statements.some((s) => s.Effect === 'Deny' && applies(s, op.action, resource)),
  );
}

/** The resolved policies of the role a function runs with. */
export async function rolePolicy(deployment: Deployment, stack: SynthesizedStack, roleLogicalId: string): Promise<RolePolicy> {
  const statements: Statement[] = [];
  const managedPolicyArns: string[] = [];
  const role = stack.template.Resources[roleLogicalId];
  if (!role) throw new Error(`${stack.name} has no role ${roleLogicalId}`);
  const push = async (document: unknown) => {
    const resolved = (await deployment.resolve(stack, document)) as { Statement: Statement | Statement[] };
    statements.push(...(Array.isArray(resolved.Statement) ? resolved.Statement : [resolved.Statement]));
  };
  for (const inline of (role.Properties?.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? [])
    await push(inline.PolicyDocument);
  for (const arn of (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [])
    managedPolicyArns.push(await deployment.resolveString(stack, arn));
  for (const { stack: s, resource } of deployment.resources('AWS::IAM::Policy')) {
    if (s !== stack) continue;
    const roles = (resource.Properties?.Roles as unknown[] | undefined) ?? [];
    if (roles.some((r) => (r as { Ref?: string }).Ref === roleLogicalId)) await push(resource.Properties!.PolicyDocument);
  }
  return { statements, managedPolicyArns };
}
