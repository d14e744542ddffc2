import {
  bootstrapObjects,
  type ManifestBundle,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';

/** The bootstrap objects as multi-document YAML for `kubectl apply -f`. */
export function bootstrapYaml(bundle: ManifestBundle): string {
  const header = [
    `# AI Gateway for Backstage: bootstrap of pool ${bundle.pool} (${bundle.renderer})`,
    `# revision: ${bundle.revision}`,
    '# The enrollment token is not in this file: set it in the Secret (see the Install tab).',
  ].join('\n');
  const docs = bootstrapObjects(bundle).map(o =>
    stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }),
  );
  return `${header}\n---\n${docs.join('---\n')}`;
}

/** The GitOps files as a zip, each under `folder/` (the repository path they belong at). */
export function zipFolder(
  files: Record<string, string>,
  folder: string,
): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    entries[`${folder}/${name}`] = strToU8(content);
  }
  return zipSync(entries, { level: 6 });
}
