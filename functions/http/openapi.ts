/**
 * One table per group of routes: each entry registers the Hono route and describes it, so
 * /api/openapi.json is built from the same schemas that validate requests (validate.ts).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { components, type BodySchema, type ResponseDoc } from './schemas.js';
import { validJson, validParams, validQuery } from './validate.js';

type Schema = z.ZodMiniType;
type Out<S> = S extends Schema ? z.infer<S> : undefined;

export interface ParameterDoc {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

export interface RouteDoc<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  J extends Schema | undefined = Schema | undefined,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, relative to where the table is mounted: /articles/{slug}. */
  path: string;
  summary: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  /** Runs before validation (auth, body limits). */
  middleware?: MiddlewareHandler[];
  /** Validated path parameters, query and JSON body; the handler receives what they parse to. */
  params?: P;
  query?: Q;
  json?: J;
  /** A body documented but read by the handler itself (JSON or Markdown articles, forms). */
  body?: { required?: boolean; description?: string; content: Record<string, { schema: BodySchema }> };
  /** Parameters documented but read by the handler itself (If-Match, a token). */
  parameters?: ParameterDoc[];
  responses: Record<number, ResponseDoc>;
}

/** A route's description kept for later registration (RouteTable.route), with its schema types intact. */
export const defineRoute = <
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  J extends Schema | undefined = undefined,
>(
  doc: RouteDoc<P, Q, J>,
): RouteDoc<P, Q, J> => doc;

export interface Input<P, Q, J> {
  params: Out<P>;
  query: Out<Q>;
  json: Out<J>;
}

export class RouteTable {
  readonly app = new Hono();
  readonly docs: RouteDoc[] = [];

  /** Registers a route whose handler gets its validated input: query, then path, then body, as each is checked in turn. */
  route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, J extends Schema | undefined = undefined>(
    doc: RouteDoc<P, Q, J>,
    handler: (c: Context, input: Input<P, Q, J>) => Response | Promise<Response>,
  ): void {
    const final: MiddlewareHandler = async (c) => {
      const query = doc.query ? validQuery(c, doc.query) : undefined;
      const params = doc.params ? validParams(c, doc.params) : undefined;
      const json = doc.json ? await validJson(c, doc.json) : undefined;
      return handler(c, { params, query, json } as Input<P, Q, J>);
    };
    this.docs.push(doc as RouteDoc);
    const on = this.app.on.bind(this.app) as unknown as (method: string, path: string, ...handlers: MiddlewareHandler[]) => void;
    on(doc.method.toUpperCase(), doc.path.replaceAll(/\/{(.+?)}/g, '/:$1'), ...(doc.middleware ?? []), final);
  }
}

const REF_PREFIX = '#/components/schemas/';

/** JSON Schema of what a client sends or receives (input: a plain object stays open, a strict one closed). */
function jsonSchema(schema: BodySchema): Record<string, unknown> {
  if (!('_zod' in schema)) return schema;
  const id = components.get(schema as z.core.$ZodType)?.id;
  if (id !== undefined) return { $ref: `${REF_PREFIX}${id}` };
  const { $schema: _, ...rest } = z.toJSONSchema(schema as z.core.$ZodType, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parametersOf(schema: Schema | undefined, where: 'path' | 'query'): ParameterDoc[] {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, { description, ...fieldSchema }]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: fieldSchema,
  }));
}

function contentOf(content: Record<string, { schema: BodySchema }>) {
  return Object.fromEntries(Object.entries(content).map(([type, { schema }]) => [type, { schema: jsonSchema(schema) }]));
}

function operationOf(doc: RouteDoc): Record<string, unknown> {
  const parameters = [...parametersOf(doc.params, 'path'), ...parametersOf(doc.query, 'query'), ...(doc.parameters ?? [])];
  const body = doc.body ?? (doc.json ? { required: true, content: { 'application/json': { schema: doc.json } } } : undefined);
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { ...body, content: contentOf(body.content) } } : {}),
    responses: Object.fromEntries(
      Object.entries(doc.responses).map(([status, response]) => [
        status,
        { ...response, ...(response.content ? { content: contentOf(response.content) } : {}) },
      ]),
    ),
  };
}

/** The OpenAPI 3.1 document of `docs` (paths already absolute), with every named schema as a component. */
export function openApiDocument(info: { title: string; version: string; description: string }, docs: RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) (paths[doc.path] ??= {})[doc.method] = operationOf(doc);
  const { schemas } = z.toJSONSchema(components, { uri: (id) => `${REF_PREFIX}${id}`, io: 'input', unrepresentable: 'any' }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  const componentSchemas = Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _, $id: __, id: ___, ...schema }]) => [name, schema]),
  );
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API token, sent as `Authorization: Bearer <token>`.' },
      },
    },
  };
}
