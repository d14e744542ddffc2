import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  agentInstallCommands,
  bootstrapFileName,
  bootstrapNames,
  bootstrapObjects,
  gitopsArchiveName,
  gitopsFolder,
  installOutcomes,
  type Pool,
  tokenCommands,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState, type ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../../api/AiGatewayApi';
import { absoluteTime, age } from '../../components/Age';
import { CodeBlock } from '../../components/CodeBlock';
import { downloadBlob, downloadText } from '../../components/DownloadButton';
import { ErrorText } from '../../components/ErrorText';
import {
  PoolActions,
  usePoolUpdatePermission,
} from '../../components/PoolActions';
import { SecretText } from '../../components/SecretText';
import { bootstrapYaml, zipFolder } from './install';

/** The event log entries that tell how an install goes (see PoolEventsTab for all). */
export const INSTALL_EVENT_ACTIONS = new Set<string>([
  'created',
  // What the install task reported: installed, awaiting-install, install-failed.
  ...installOutcomes,
  'enrollment-token-rotated',
  'phase-changed',
  'applied',
  'apply-failed',
  'sync-requested',
  'reseed-requested',
]);

function Step(props: { title: string; children: ReactNode }) {
  return (
    <Box component="li" mb={2}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function Commands(props: { commands: string[]; label: string }) {
  return (
    <CodeBlock
      text={props.commands.join('\n')}
      language="bash"
      label={props.label}
      copyLabel="Copy commands"
      testId="install-commands"
      wrapLongLines
    />
  );
}

/**
 * Issues a new enrollment token after confirmation (the old one stops
 * working) and shows it once, masked, with where it goes.
 */
function EnrollmentToken(props: { pool: Pool; tokenSecret?: string }) {
  const { pool, tokenSecret } = props;
  const api = useApi(aiGatewayApiRef);
  const { allowed, loading } = usePoolUpdatePermission(pool.name);
  const [confirming, setConfirming] = useState(false);
  const [token, setToken] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      setToken(await api.issueEnrollmentToken(pool.name));
    } catch (e) {
      setError(`Issuing a token failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const secret = tokenSecret ?? 'the enrollment Secret';
  const titleId = `enrollment-token-title-${pool.name}`;
  return (
    <Box>
      <Typography variant="body2">
        The operator authenticates with the pool's enrollment token, read from
        key <code>token</code> of Secret <code>{secret}</code> in namespace{' '}
        <code>{pool.namespace}</code> (the bootstrap creates the Secret without
        a value; the token never goes into a file or a repository).
      </Typography>
      {token ? (
        <Box mt={1} data-testid="enrollment-token">
          <SecretText value={token} label="enrollment token" />
          <Typography variant="body2" role="status">
            Shown once: the control plane keeps only its hash. Run{' '}
            <code>export AIGW_ENROLLMENT_TOKEN=…</code> with it (paste it), then
            the commands below put it in Secret <code>{secret}</code>.
          </Typography>
          <Button
            size="small"
            variant="outlined"
            onClick={() => setToken(undefined)}
            style={{ marginTop: 4 }}
          >
            I have stored it: hide the token
          </Button>
        </Box>
      ) : (
        <Box mt={1} display="flex" alignItems="center" flexWrap="wrap">
          <Button
            variant="outlined"
            size="small"
            color="primary"
            disabled={!allowed || busy}
            onClick={() => setConfirming(true)}
            style={{ marginRight: 8 }}
          >
            Issue a new enrollment token
          </Button>
          {!allowed && !loading && (
            <Typography variant="caption">
              You may not change pool {pool.name} (needs
              ai-gateway.pool.update); ask a platform admin for a token.
            </Typography>
          )}
        </Box>
      )}
      {error && (
        <ErrorText variant="body2" role="alert">
          {error}
        </ErrorText>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby={titleId}
      >
        <DialogTitle id={titleId}>
          Issue a new enrollment token for pool {pool.name}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            The current token stops working at once: an operator running with it
            is rejected until Secret {secret} holds the new token. The new token
            is shown once.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="primary" onClick={issue}>
            Issue token
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

function useBootstrap(pool: string) {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async () => {
    const bundle = await api.getManifests(pool);
    const objects = bootstrapObjects(bundle);
    return {
      revision: bundle.revision,
      objects,
      yaml: bootstrapYaml(bundle),
      names: bootstrapNames(objects),
    };
  }, [api, pool]);
}

function AgentInstall(props: { pool: Pool; compact: boolean }) {
  const { pool, compact } = props;
  const bootstrap = useBootstrap(pool.name);
  if (bootstrap.loading) return <Progress />;
  if (bootstrap.error || !bootstrap.value)
    return (
      <ResponseErrorPanel
        title={`The bootstrap of pool ${pool.name} could not be loaded`}
        error={bootstrap.error ?? new Error('No manifests were returned')}
      />
    );
  const { objects, yaml, names } = bootstrap.value;
  const fileName = bootstrapFileName(pool.name);
  return (
    <Box component="ol" pl={2} m={0} data-testid="install-agent">
      <Step title={`Download the bootstrap (${objects.length} objects)`}>
        {!compact && (
          <Typography variant="body2">
            The operator's ServiceAccount, Roles and RoleBindings, the
            enrollment-token Secret (without its value) and the operator
            Deployment; applying them needs the deployer Role (Access tab).
          </Typography>
        )}
        {!compact && (
          <Box component="ul" m={0} data-testid="bootstrap-objects">
            {objects.map(o => (
              <Typography
                component="li"
                variant="body2"
                key={`${o.kind}/${o.metadata.name}`}
              >
                {o.kind}/{o.metadata.name}
              </Typography>
            ))}
          </Box>
        )}
        <Button
          variant="outlined"
          size="small"
          onClick={() => downloadText(yaml, fileName)}
          style={{ marginTop: 4 }}
        >
          Download {fileName}
        </Button>
      </Step>
      <Step title="Get an enrollment token">
        <EnrollmentToken pool={pool} tokenSecret={names.tokenSecret} />
      </Step>
      <Step
        title={`Apply it to cluster ${pool.cluster.name} and wait for the operator`}
      >
        <Commands
          label={`Commands installing pool ${pool.name}`}
          commands={agentInstallCommands(pool, names)}
        />
      </Step>
    </Box>
  );
}

function GitopsInstall(props: { pool: Pool; compact: boolean }) {
  const { pool, compact } = props;
  const api = useApi(aiGatewayApiRef);
  const files = useAsync(() => api.getGitopsFiles(pool.name), [api, pool.name]);
  const bootstrap = useBootstrap(pool.name);
  if (files.loading) return <Progress />;
  if (files.error || !files.value)
    return (
      <ResponseErrorPanel
        title={`The GitOps folder of pool ${pool.name} could not be loaded`}
        error={files.error ?? new Error('No files were returned')}
      />
    );
  const folder = gitopsFolder(pool);
  const names = Object.keys(files.value.files).sort();
  const delivery = pool.delivery.mode === 'gitops' ? pool.delivery : undefined;
  const where = delivery?.repoUrl
    ? `${delivery.repoUrl}${
        delivery.branch ? ` (branch ${delivery.branch})` : ''
      }`
    : 'the repository Argo CD or Flux syncs';
  const zipName = gitopsArchiveName(pool.name);
  const secretNames = bootstrap.value?.names ?? {};
  return (
    <Box component="ol" pl={2} m={0} data-testid="install-gitops">
      <Step title={`Download the GitOps folder (${names.length} files)`}>
        {!compact && (
          <Box component="ul" m={0} data-testid="gitops-files">
            {names.map(name => (
              <Typography component="li" variant="body2" key={name}>
                {folder}/{name}
              </Typography>
            ))}
          </Box>
        )}
        <Button
          variant="outlined"
          size="small"
          style={{ marginTop: 4 }}
          onClick={() =>
            downloadBlob(
              new Blob([zipFolder(files.value!.files, folder)], {
                type: 'application/zip',
              }),
              zipName,
            )
          }
        >
          Download {zipName}
        </Button>
      </Step>
      <Step title="Commit it">
        <Typography variant="body2">
          Unpack it at the root of {where}: the files land in{' '}
          <code>{folder}/</code>, which the GitOps tool applies to namespace{' '}
          <code>{pool.namespace}</code> of cluster {pool.cluster.name}. The
          folder holds the operator's bootstrap too. Commit the folder again
          after every change of the pool (revision{' '}
          {files.value.revision.slice(0, 19)}).
        </Typography>
      </Step>
      <Step title="Give the operator its enrollment token">
        <EnrollmentToken pool={pool} tokenSecret={secretNames.tokenSecret} />
        {secretNames.tokenSecret && (
          <Commands
            label={`Commands setting the enrollment token of pool ${pool.name}`}
            commands={tokenCommands(pool, secretNames)}
          />
        )}
      </Step>
    </Box>
  );
}

function DirectInstall(props: { pool: Pool; compact: boolean }) {
  const { pool, compact } = props;
  return (
    <Box data-testid="install-direct">
      <Typography variant="body2" paragraph>
        The control plane applies this pool itself: no operator runs in the
        cluster. It needs cluster <b>{pool.cluster.name}</b> in{' '}
        <code>kubernetes.clusterLocatorMethods</code> of the portal's app-config
        (<code>name: {pool.cluster.name}</code>, <code>url</code>,{' '}
        <code>serviceAccountToken</code>, <code>caData</code>), with a service
        account bound to the deployer Role in namespace{' '}
        <code>{pool.namespace}</code> (Access tab). Then Force sync.
      </Typography>
      {/* The overview card has its own Force sync next to the status. */}
      {!compact && <PoolActions pool={pool.name} actions={['sync']} />}
    </Box>
  );
}

/** The install-related entries of the pool's event log, newest first. */
export function InstallEvents(props: { pool: string; max?: number }) {
  const { pool, max = 8 } = props;
  const api = useApi(aiGatewayApiRef);
  const events = useAsync(
    async () =>
      (await api.listEvents('pools', pool)).items.filter(e =>
        INSTALL_EVENT_ACTIONS.has(e.action),
      ),
    [api, pool],
  );
  let body;
  if (events.loading) body = <Progress />;
  else if (events.error)
    body = (
      <ErrorText variant="body2">
        The events could not be loaded: {events.error.message}
      </ErrorText>
    );
  else if (!events.value?.length)
    body = (
      <Typography variant="body2">
        No install events yet: nothing has been applied or reported.
      </Typography>
    );
  else
    body = (
      <Box component="ul" m={0} pl={2}>
        {events.value.slice(0, max).map(e => (
          <Typography component="li" variant="body2" key={e.id}>
            <time dateTime={e.at} title={absoluteTime(e.at)}>
              {age(e.at)}
            </time>{' '}
            <b>{e.action}</b> by {e.actor}
            {e.message ? `: ${e.message}` : ''}
          </Typography>
        ))}
      </Box>
    );
  return (
    <Box data-testid="install-events">
      <Typography variant="subtitle2" component="h4">
        Install events (all events are on the Events tab)
      </Typography>
      {body}
    </Box>
  );
}

/**
 * How to install a pool, for its delivery mode: agent (bootstrap YAML,
 * enrollment token, kubectl commands), gitops (the folder as a zip and
 * where to commit it) or direct (what the control plane needs). `compact`
 * is the overview's short form.
 */
export function PoolInstallPanel(props: { pool: Pool; compact?: boolean }) {
  const { pool, compact = false } = props;
  switch (pool.delivery.mode) {
    case 'agent':
      return <AgentInstall pool={pool} compact={compact} />;
    case 'gitops':
      return <GitopsInstall pool={pool} compact={compact} />;
    default:
      return <DirectInstall pool={pool} compact={compact} />;
  }
}
