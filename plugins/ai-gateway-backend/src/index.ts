/**
 * The AI Gateway control plane backend plugin.
 *
 * @packageDocumentation
 */
export { aiGatewayPlugin as default } from './plugin';
