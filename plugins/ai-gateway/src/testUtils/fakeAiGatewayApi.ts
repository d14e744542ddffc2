import type { AiGatewayApi } from '../api/AiGatewayApi';

/** An AiGatewayApi for component tests: each test gives the calls it expects; others fail loudly. */
export function fakeAiGatewayApi(
  overrides: Partial<AiGatewayApi> = {},
): AiGatewayApi {
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call to ${name}`);
  };
  return {
    getFleet: unexpected('getFleet'),
    getObject: unexpected('getObject'),
    listInPool: unexpected('listInPool'),
    requestPool: unexpected('requestPool'),
    listPools: unexpected('listPools'),
    listObjects: unexpected('listObjects'),
    getPoolStatus: unexpected('getPoolStatus'),
    findMcpServerByPrefix: unexpected('findMcpServerByPrefix'),
    listEvents: unexpected('listEvents'),
    getManifests: unexpected('getManifests'),
    getManifestsYaml: unexpected('getManifestsYaml'),
    diffLive: unexpected('diffLive'),
    getDeployerRole: unexpected('getDeployerRole'),
    getDeployerRoleYaml: unexpected('getDeployerRoleYaml'),
    getGitopsFiles: unexpected('getGitopsFiles'),
    issueEnrollmentToken: unexpected('issueEnrollmentToken'),
    getKubernetesClusters: unexpected('getKubernetesClusters'),
    getUsageStatus: unexpected('getUsageStatus'),
    getUsageTotals: unexpected('getUsageTotals'),
    getUsageTimeSeries: unexpected('getUsageTimeSeries'),
    getUsageCsv: unexpected('getUsageCsv'),
    listBudgets: unexpected('listBudgets'),
    getBudget: unexpected('getBudget'),
    getBudgetState: unexpected('getBudgetState'),
    createBudget: unexpected('createBudget'),
    updateBudget: unexpected('updateBudget'),
    deleteBudget: unexpected('deleteBudget'),
    getMcpServerContract: unexpected('getMcpServerContract'),
    checkMcpServerContract: unexpected('checkMcpServerContract'),
    listMcpRegistrySources: unexpected('listMcpRegistrySources'),
    listMcpRegistryEntries: unexpected('listMcpRegistryEntries'),
    ...overrides,
  } as AiGatewayApi;
}
