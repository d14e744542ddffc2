import { AiGatewayRestClient } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { openApiYaml } from './openApiDocument';
import { spec } from './openapi/generated/router';

const REGENERATE =
  'run `npm run generate:openapi` in plugins/ai-gateway-backend';
const onDisk = fs.readFileSync(path.resolve(__dirname, 'openapi.yaml'), 'utf8');
const document = parse(onDisk);

describe('the OpenAPI document', () => {
  it(`is what the zod model and openApiDocument.ts give (${REGENERATE})`, () => {
    // A verdict and the fix instead of a 6,000-line diff.
    expect({ upToDate: onDisk === openApiYaml(), fix: REGENERATE }).toEqual({
      upToDate: true,
      fix: REGENERATE,
    });
  });

  it(`is the one the validated router serves (${REGENERATE})`, () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(document);
  });

  it(`is the one the generated client was made from (${REGENERATE})`, () => {
    const operationIds = Object.values(
      document.paths as Record<string, Record<string, any>>,
    )
      .flatMap(item => Object.values(item))
      .map(operation => operation?.operationId)
      .filter(Boolean);
    const clientMethods = Object.getOwnPropertyNames(
      AiGatewayRestClient.prototype,
    ).filter(m => m !== 'constructor');
    expect([...clientMethods].sort()).toEqual([...operationIds].sort());
  });

  it('has object schemas that are valid JSON Schema 2020-12', () => {
    // The component schemas as one JSON Schema document, refs pointing into its $defs.
    const $defs = JSON.parse(
      JSON.stringify(document.components.schemas).replace(
        /#\/components\/schemas\//g,
        '#/$defs/',
      ),
    );
    const ajv = new Ajv2020({ strict: true, strictTypes: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'components', $defs });
    for (const name of Object.keys($defs)) {
      expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(() =>
        ajv.compile({ $ref: `components#/$defs/${name}` }),
      ).not.toThrow();
    }
  });
});
