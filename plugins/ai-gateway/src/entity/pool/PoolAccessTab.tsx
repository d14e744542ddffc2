import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef, type DeployerRole } from '../../api/AiGatewayApi';
import { CodeBlock } from '../../components/CodeBlock';
import { DownloadButton } from '../../components/DownloadButton';

type SubjectKind = 'user' | 'group' | 'serviceaccount';

const SUBJECTS: Record<
  SubjectKind,
  { label: string; placeholder: string; help: string }
> = {
  user: {
    label: 'User',
    placeholder: '<user>',
    help: 'The Kubernetes user name, e.g. jane@example.com',
  },
  group: {
    label: 'Group',
    placeholder: '<group>',
    help: 'The Kubernetes group, e.g. platform-team',
  },
  serviceaccount: {
    label: 'ServiceAccount',
    placeholder: '<namespace>:<name>',
    help: 'A CI ServiceAccount as namespace:name',
  },
};

/** A valid RoleBinding name part (DNS subdomain) made from a subject. */
const nameOf = (subject: string) =>
  subject
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 40);

/** The kubectl commands that create the Role, bind it to `subject` and later revoke it. */
export function deployerCommands(
  role: DeployerRole,
  fileName: string,
  kind: SubjectKind,
  subject: string,
): string {
  const { name, namespace } = role.metadata;
  const who = subject.trim() || SUBJECTS[kind].placeholder;
  const binding = `${name}-${nameOf(subject) || SUBJECTS[kind].placeholder}`;
  return [
    '# 1. Create the Role (once per namespace)',
    `kubectl apply -f ${fileName}`,
    '# 2. Let the installer use it',
    `kubectl create rolebinding ${binding} --role=${name} --${kind}=${who} --namespace=${namespace}`,
    '# 3. After the install, take it back',
    `kubectl delete rolebinding ${binding} --namespace=${namespace}`,
  ].join('\n');
}

/** Whether the install creates the operator's ServiceAccount, Role and RoleBinding (not with a pool-provided ServiceAccount). */
const createsOperatorRbac = (role: DeployerRole) =>
  role.rules.some(
    r =>
      r.apiGroups.includes('rbac.authorization.k8s.io') &&
      r.resources.includes('roles'),
  );

/**
 * The namespace-scoped Role whoever installs the pool needs , who needs it and why, and how to bind it.
 *
 * @public
 */
export function PoolAccessTab() {
  const { entity } = useEntity();
  const pool = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const deployer = useAsync(async () => {
    const [role, yaml, object] = await Promise.all([
      api.getDeployerRole(pool),
      api.getDeployerRoleYaml(pool),
      api.getObject('pools', pool),
    ]);
    return {
      role,
      yaml,
      deliveryMode: object.spec.delivery?.mode as string | undefined,
    };
  }, [api, pool]);
  const [kind, setKind] = useState<SubjectKind>('user');
  const [subject, setSubject] = useState('');

  if (deployer.loading && !deployer.value) return <Progress />;
  if (deployer.error) {
    return (
      <ResponseErrorPanel
        title="The deployer Role could not be loaded"
        error={deployer.error}
      />
    );
  }
  const { role, yaml, deliveryMode } = deployer.value!;
  const { name, namespace } = role.metadata;
  const fileName = `${pool}-deployer-role.yaml`;
  const commands = deployerCommands(role, fileName, kind, subject);
  const createsRbac = createsOperatorRbac(role);

  return (
    <Grid container spacing={3} data-testid="pool-access">
      <Grid item xs={12} md={6}>
        <InfoCard title="Who needs this Role">
          <Typography
            variant="body2"
            paragraph
            data-testid="deployer-explanation"
          >
            The person or CI account that installs this pool's operator needs
            Role <b>{name}</b> in namespace <b>{namespace}</b>. The install is a
            one-time bootstrap: it creates{' '}
            {createsRbac
              ? "the operator's ServiceAccount, Roles and RoleBindings, "
              : ''}
            the Secret holding the pool's enrollment token and the operator
            Deployment.
          </Typography>
          {deliveryMode === 'direct' && (
            <Alert
              severity="info"
              data-testid="deployer-direct"
              style={{ marginBottom: 16 }}
            >
              This pool is delivered directly: the control plane applies it with
              its own cluster credentials and no operator is installed, so
              nobody needs this Role unless the pool moves to agent or gitops
              delivery.
            </Alert>
          )}
          {createsRbac ? null : (
            <Typography
              variant="body2"
              paragraph
              data-testid="deployer-pool-provided-sa"
            >
              This pool uses a pool-provided ServiceAccount, so the install only
              checks that the account exists: the installer needs no right to
              create ServiceAccounts, Roles or RoleBindings. Your platform team
              binds the operator's runtime Role to that account.
            </Typography>
          )}
          <Typography variant="body2" paragraph>
            The Role is namespace-scoped (a Role, not a ClusterRole) and is
            needed once, at install; revoke it afterwards. The operator never
            needs cluster-admin: it reconciles the pool with its own runtime
            Role.
          </Typography>
          <Typography variant="body2">
            Share the Role with your security team for review before you
            schedule the install. Someone allowed to grant it in {namespace} (a
            namespace or cluster administrator) runs the commands below.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Bind it">
          <Box display="flex" mb={2}>
            <TextField
              select
              size="small"
              variant="outlined"
              label="Installer is a"
              value={kind}
              onChange={e => setKind(e.target.value as SubjectKind)}
              style={{ minWidth: 160, marginRight: 16 }}
              inputProps={{ 'data-testid': 'deployer-subject-kind' }}
            >
              {(Object.keys(SUBJECTS) as SubjectKind[]).map(k => (
                <MenuItem key={k} value={k}>
                  {SUBJECTS[k].label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              size="small"
              variant="outlined"
              label={SUBJECTS[kind].label}
              placeholder={SUBJECTS[kind].placeholder}
              helperText={SUBJECTS[kind].help}
              value={subject}
              onChange={e => setSubject(e.target.value)}
              fullWidth
              inputProps={{ 'data-testid': 'deployer-subject' }}
            />
          </Box>
          <CodeBlock
            text={commands}
            language="bash"
            label="Commands granting the installer the Role"
            copyLabel="Copy commands"
            copyTestId="copy-commands"
            testId="deployer-commands"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Role ${name} (${role.rules.length} rules)`}>
          <CodeBlock
            text={yaml}
            language="yaml"
            label={`YAML of Role ${name}`}
            showLineNumbers
            copyTestId="copy-role"
            actions={<DownloadButton text={yaml} fileName={fileName} />}
            testId="deployer-role-yaml"
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
