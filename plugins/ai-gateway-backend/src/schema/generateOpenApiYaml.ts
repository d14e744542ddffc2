import fs from 'node:fs';
import { openApiYaml } from './openApiDocument';

/**
 * `npm run generate:openapi`, first step: writes openapi.yaml from
 * openApiDocument.ts and the zod model. Runs in the package directory
 * (scripts/generate-openapi.sh changes into it).
 */
fs.writeFileSync('src/schema/openapi.yaml', openApiYaml());
