/**
 * The in-cluster operator of AI Gateway for Backstage.
 *
 * @packageDocumentation
 */
export * from './ControlPlaneClient';
export * from './OperatorAgent';
export { runOperator } from './main';
