import { ServerResponse, type IncomingMessage } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { AppDeps } from '../src/deps.js';
import { openApiDocument } from '../src/http/openapi.js';

/*
 * Every REST answer the API gives in its tests is checked against the OpenAPI document it serves
 * (issue 15, "Contract"). The test setup file (openapi-contract.setup.ts) installs the recorder
 * once per test file; every answer under /api/v1 from any app in the test process is recorded
 * (whether the test made the app with createTestApp or not, through supertest or a listening
 * server), and after each test the answers are checked and the test fails on any violation:
 *
 * - its path and method are an operation of the document (an unknown path or method may only be
 *   answered 404 / 405);
 * - its status code is listed for the operation (or a `4XX` / `default` entry covers it);
 * - its headers: every header the response declares `required` is there, every declared one that
 *   is there matches its schema;
 * - its body: no body where the response has no content; otherwise its Content-Type is one the
 *   response lists and a JSON body matches that schema, read strictly: an object whose schema lists
 *   `properties` may hold no other property unless the schema says so (as Redocly's lint reads
 *   the examples), so a field the API returns and the document does not describe is a failure.
 *
 * Schemas are JSON Schema 2020-12 (OpenAPI 3.1), checked with Ajv's 2020 validator and
 * ajv-formats (date, date-time, uri...). The document is built by `openApiDocument` with the deps
 * of the app that answered (registered by createTestApp), else with the last registered ones.
 */

/** One answer as it left the API. */
export interface RecordedExchange {
  app: unknown;
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

const recorded: RecordedExchange[] = [];
const documents = new WeakMap<AppDeps, Promise<Record<string, unknown>>>();
const depsOfApp = new WeakMap<object, AppDeps>();
let lastDeps: AppDeps | undefined;
let installed = false;

/**
 * Remembers which deps (so which document) an app answers with; createTestApp calls it. The
 * document is built now, while the app's database is open (the test closes it before the check).
 */
export async function registerContractApp(app: object, deps: AppDeps): Promise<void> {
  depsOfApp.set(app, deps);
  lastDeps = deps;
  const document = openApiDocument(deps);
  documents.set(deps, document);
  await document;
}

/** Patches Node's ServerResponse once so that every answer under /api/v1 is recorded. */
export function installResponseRecorder(): void {
  if (installed) return;
  installed = true;
  type Write = ServerResponse['write'];
  type End = ServerResponse['end'];
  const proto = ServerResponse.prototype;
  const chunks = new WeakMap<ServerResponse, Buffer[]>();
  const urlOf = (req: IncomingMessage) =>
    (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const watched = (res: ServerResponse) => urlOf(res.req).startsWith('/api/v1');
  const keep = (res: ServerResponse, chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const list = chunks.get(res) ?? [];
    list.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : typeof chunk === 'string'
            ? Buffer.from(
                chunk,
                typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
              )
            : Buffer.alloc(0),
    );
    chunks.set(res, list);
  };
  // Kept unbound on purpose: they are called with the response as `this` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const write = proto.write;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const end = proto.end;
  proto.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (watched(this)) keep(this, chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Write;
  proto.end = function (this: ServerResponse, ...args: unknown[]) {
    if (watched(this)) {
      if (typeof args[0] !== 'function') keep(this, args[0], args[1]);
      const req = this.req as IncomingMessage & { app?: unknown };
      recorded.push({
        app: req.app,
        method: req.method ?? 'GET',
        url: urlOf(req),
        status: this.statusCode,
        headers: this.getHeaders(),
        body: Buffer.concat(chunks.get(this) ?? []),
      });
    }
    return (end as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as End;
}

/** The answers recorded since the last call (and forgets them). */
export function takeRecorded(): RecordedExchange[] {
  return recorded.splice(0);
}

type Json = Record<string, unknown>;
interface Operation {
  responses?: Record<string, Json>;
}

/** A document compiled for checking; one per distinct document (tests share them). */
class ResponseContract {
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #paths: { template: string; pattern: RegExp; item: Record<string, Operation> }[];

  constructor(private readonly document: Json) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
    addFormats(this.#ajv);
    this.#ajv.addSchema(closedObjects(structuredClone(document)), DOCUMENT_ID);
    const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
    this.#paths = Object.entries(paths)
      .map(([template, item]) => ({
        template,
        item,
        pattern: new RegExp(
          `^${template
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
      }))
      // Literal paths before templated ones (`/orders/feed` before `/orders/{orderNumber}`).
      .sort(
        (a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0),
      );
  }

  /** The violations of one answer (empty when it keeps the contract). */
  check(x: RecordedExchange): string[] {
    const path = new URL(x.url, 'http://test.invalid').pathname;
    const label = `${x.method} ${x.url} → ${x.status}`;
    if (path === '/api/v1/openapi.json' && !this.#paths.some((p) => p.pattern.test(path)))
      return [];
    const match = this.#paths.find((p) => p.pattern.test(path));
    if (match === undefined)
      return x.status === 404 ? [] : [`${label}: no path of the document matches ${path}`];
    // HEAD is answered by the GET route (Express), without a body.
    const method =
      x.method === 'HEAD' && match.item.head === undefined ? 'get' : x.method.toLowerCase();
    const operation = match.item[method];
    const pointerOf = (...parts: string[]) =>
      `#/paths/${escapePointer(match.template)}/${[method, ...parts].map(escapePointer).join('/')}`;
    if (operation === undefined)
      return x.status === 404 || x.status === 405
        ? []
        : [`${label}: ${x.method} ${match.template} is not in the document`];
    const responses = operation.responses ?? {};
    const key = [String(x.status), `${String(x.status)[0]}XX`, 'default'].find(
      (k) => responses[k] !== undefined,
    );
    if (key === undefined)
      return [
        `${label}: status ${x.status} is not documented for ${x.method} ${match.template} (documented: ${Object.keys(responses).join(', ')})`,
      ];
    const response = this.#resolve(responses[key]!);
    return [
      ...this.#checkHeaders(label, x, response),
      ...this.#checkBody(label, x, response, pointerOf('responses', key)),
    ];
  }

  #checkHeaders(label: string, x: RecordedExchange, response: Json): string[] {
    const problems: string[] = [];
    const declared = (response.headers ?? {}) as Record<string, Json>;
    for (const [name, raw] of Object.entries(declared)) {
      if (name.toLowerCase() === 'content-type') continue;
      const header = this.#resolve(raw);
      const value = x.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required === true) problems.push(`${label}: required header ${name} is missing`);
        continue;
      }
      const schema = (header.schema ?? {}) as Json;
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      const type = this.#resolve(schema).type;
      const parsed = type === 'integer' || type === 'number' ? Number(text) : text;
      const validate = this.#ajv.compile(schema);
      if (!validate(parsed))
        problems.push(
          `${label}: header ${name}: ${JSON.stringify(text)} ${this.#ajv.errorsText(validate.errors)}`,
        );
    }
    return problems;
  }

  #checkBody(label: string, x: RecordedExchange, response: Json, pointer: string): string[] {
    if (x.method === 'HEAD') return [];
    const content = response.content as Record<string, Json> | undefined;
    const hasBody = x.body.length > 0;
    if (content === undefined || Object.keys(content).length === 0)
      return hasBody ? [`${label}: the document says this answer has no body, it has one`] : [];
    if (!hasBody) return [`${label}: the document describes a body, the answer has none`];
    const contentType = String(x.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const mediaType = Object.keys(content).find((m) => m.toLowerCase() === contentType);
    if (mediaType === undefined)
      return [
        `${label}: Content-Type ${contentType || '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`,
      ];
    if (!/[/+]json$/.test(contentType) || content[mediaType]!.schema === undefined) return [];
    let body: unknown;
    try {
      body = JSON.parse(x.body.toString('utf8'));
    } catch {
      return [`${label}: the body is not JSON although its Content-Type is ${contentType}`];
    }
    const ref = `${pointer}/content/${escapePointer(mediaType)}/schema`;
    let validate = this.#validators.get(ref);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: `${DOCUMENT_ID}${ref}` });
      this.#validators.set(ref, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${label}: body${e.instancePath} ${e.message ?? 'is invalid'}${
          e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties'
            ? ` (${JSON.stringify(e.params)}: not described by the document)`
            : ''
        } [schema ${e.schemaPath}]`,
    );
  }

  /** Follows a local `$ref` (components.responses / headers / schemas). */
  #resolve(node: Json): Json {
    let current = node;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops += 1) {
      const ref = current.$ref;
      if (!ref.startsWith('#/')) break;
      current = ref
        .slice(2)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<Json>((at, part) => (at[part] ?? {}) as Json, this.document);
    }
    return current;
  }
}

const DOCUMENT_ID = 'https://renkei.invalid/openapi.json';

function escapePointer(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Data, not schemas: never read as one. */
const NOT_SCHEMAS = new Set(['example', 'examples', 'default', 'const', 'enum']);

/**
 * Every object schema that lists `properties` and says nothing of other properties gets
 * `unevaluatedProperties: false` (except as a direct part of allOf / anyOf / oneOf, where the
 * whole decides), so that undocumented fields in an answer are found.
 */
function closedObjects<T>(node: T, inComposition = false): T {
  if (Array.isArray(node)) {
    for (const item of node) closedObjects(item, inComposition);
    return node;
  }
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (
    !inComposition &&
    object.properties !== null &&
    typeof object.properties === 'object' &&
    !Array.isArray(object.properties) &&
    object.additionalProperties === undefined &&
    object.unevaluatedProperties === undefined
  )
    object.unevaluatedProperties = false;
  for (const [key, value] of Object.entries(object)) {
    if (NOT_SCHEMAS.has(key)) continue;
    if (key === 'properties' && value !== null && typeof value === 'object') {
      for (const property of Object.values(value as Json)) closedObjects(property);
      continue;
    }
    closedObjects(value, key === 'allOf' || key === 'anyOf' || key === 'oneOf');
  }
  return node;
}

const contracts = new Map<string, ResponseContract>();

async function contractFor(deps: AppDeps): Promise<ResponseContract> {
  let pending = documents.get(deps);
  if (pending === undefined) {
    pending = openApiDocument(deps);
    documents.set(deps, pending);
  }
  const document = await pending;
  // The parts a check reads; servers and descriptions differ between apps and do not matter.
  const key = JSON.stringify([document.paths, document.components]);
  let contract = contracts.get(key);
  if (contract === undefined) {
    contract = new ResponseContract(document);
    contracts.set(key, contract);
  }
  return contract;
}

/** Checks the recorded answers; returns one line per violation. */
export async function contractViolations(exchanges: RecordedExchange[]): Promise<string[]> {
  const problems: string[] = [];
  for (const x of exchanges) {
    const deps =
      (x.app !== null && typeof x.app === 'object' ? depsOfApp.get(x.app) : undefined) ?? lastDeps;
    if (deps === undefined) {
      problems.push(
        `${x.method} ${x.url} → ${x.status}: no OpenAPI document to check it against (make the app with createTestApp)`,
      );
      continue;
    }
    problems.push(...(await contractFor(deps)).check(x));
  }
  return problems;
}
