import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, any>;

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
] as const;
const DOCUMENT_ID = 'openapi.json';

/** A JSON pointer into the document as a URI fragment. */
const pointer = (...segments: string[]) =>
  segments
    .map(s => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');

/**
 * The REST API's OpenAPI document as a test oracle: which operations it
 * documents, and whether a response (status, content type, body) is one the
 * document allows for its request.
 */
export class OpenApiContract {
  readonly document: Json;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #operations: Array<{
    method: string;
    path: string;
    pattern: RegExp;
    operation: Json;
  }>;

  static load(
    file = path.resolve(__dirname, '../openapi.yaml'),
  ): OpenApiContract {
    return new OpenApiContract(parse(fs.readFileSync(file, 'utf8')));
  }

  constructor(document: Json) {
    this.document = document;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(document, DOCUMENT_ID, undefined, false);
    this.#operations = Object.entries(document.paths as Json).flatMap(
      ([template, item]) =>
        METHODS.filter(m => item[m]).map(method => ({
          method: method.toUpperCase(),
          path: template,
          pattern: new RegExp(
            `^${template
              .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
              .replace(/\{[^}]+\}/g, '[^/]+')}$`,
          ),
          operation: item[method],
        })),
    );
  }

  /** Every documented operation as `METHOD /path/{param}`. */
  operations(): string[] {
    return this.#operations.map(o => `${o.method} ${o.path}`);
  }

  /**
   * What is wrong with a response to `method path` (the path relative to the
   * plugin's base URL, query string allowed); empty when the document allows it.
   */
  check(response: {
    method: string;
    path: string;
    status: number;
    contentType?: string;
    body: unknown;
  }): string[] {
    const requestPath = response.path.split('?')[0];
    // Served by Backstage's validated router: the document itself.
    if (requestPath === '/openapi.json') return [];
    const where = `${response.method} ${requestPath} -> ${response.status}`;
    const match = this.#operations.find(
      o => o.method === response.method && o.pattern.test(requestPath),
    );
    if (!match) {
      // Unknown paths are Backstage's 404s, not part of this API.
      return response.status === 404 ? [] : [`${where}: not in the document`];
    }
    let location = [
      'paths',
      match.path,
      match.method.toLowerCase(),
      'responses',
      String(response.status),
    ];
    let documented: Json | undefined =
      match.operation.responses?.[response.status];
    if (!documented)
      return [
        `${where}: status not documented for ${match.method} ${match.path}`,
      ];
    if (documented.$ref) {
      location = (documented.$ref as string).slice(2).split('/');
      documented = location.reduce(
        (node: Json, key) => node?.[key],
        this.document,
      );
    }
    const content: Json | undefined = documented?.content;
    if (!content) {
      const empty =
        response.body === undefined ||
        response.body === '' ||
        (typeof response.body === 'object' &&
          response.body !== null &&
          Object.keys(response.body).length === 0);
      return empty ? [] : [`${where}: a body where the document has none`];
    }
    const mediaType = (response.contentType ?? '').split(';')[0].trim();
    if (!content[mediaType]) {
      return [
        `${where}: content type '${mediaType}' is not one of ${Object.keys(
          content,
        ).join(', ')}`,
      ];
    }
    if (!mediaType.endsWith('json')) {
      return typeof response.body === 'string' && response.body.length > 0
        ? []
        : [`${where}: empty ${mediaType} body`];
    }
    const key = `${pointer(...location)}/${pointer(
      'content',
      mediaType,
      'schema',
    )}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `${DOCUMENT_ID}#/${key}` });
      this.#validators.set(key, validate);
    }
    if (validate(response.body)) return [];
    return (validate.errors ?? []).map(
      e =>
        `${where}: body${e.instancePath} ${e.message}${
          e.params ? ` ${JSON.stringify(e.params)}` : ''
        }`,
    );
  }
}
