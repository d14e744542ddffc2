import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  aiGatewayApiRef,
  type LiveDiff,
  type ManifestBundle,
  type ObjectDiff,
} from '../../api/AiGatewayApi';
import { CodeBlock } from '../../components/CodeBlock';
import { DownloadButton } from '../../components/DownloadButton';
import { failureOf } from '../../components/failureOf';
import { OperationList } from '../../components/OperationList';
import { shortRevision } from '../../components/revision';

/** How many objects of each kind, in the bundle's (apply) order. */
export function countByKind(
  bundle: Pick<ManifestBundle, 'objects'>,
): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const o of bundle.objects)
    counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts.entries()];
}

function DiffUnavailable({ error }: { error: Error }) {
  const { status, message } = failureOf(error);
  let title = 'The diff could not be loaded';
  let explanation =
    'The AI Gateway backend did not answer; try again in a moment.';
  if (status === 400 || status === 409 || status === 422) {
    title = 'No cluster to compare with';
    explanation =
      "The control plane cannot read this pool's cluster, so it cannot say what applying the bundle would change there.";
  } else if (status !== undefined && status >= 500) {
    title = 'The cluster could not be reached';
    explanation =
      'Reading the live objects from the cluster failed. The bundle above is still what would be applied.';
  } else if (status === 403 || status === 404) {
    title = 'The diff is not available to you';
    explanation = 'The pool is not visible to you, or was deleted.';
  }
  return (
    <Alert
      severity={status !== undefined && status < 500 ? 'info' : 'warning'}
      data-testid="diff-unavailable"
    >
      <AlertTitle>{title}</AlertTitle>
      {explanation}
      <Typography variant="body2" component="div" style={{ marginTop: 4 }}>
        {message}
      </Typography>
    </Alert>
  );
}

function comparedWith(diff: LiveDiff): string {
  switch (diff.against) {
    case 'cluster':
      return 'Compared with the objects in the cluster (direct delivery).';
    case 'running-revision':
      return `The control plane cannot reach this pool's cluster (agent or gitops delivery), so this compares with revision ${shortRevision(
        diff.runningRevision ?? '',
      )}, which the operator last reported running, not with the cluster itself.`;
    default:
      return "The control plane cannot reach this pool's cluster (agent or gitops delivery) and no operator has reported running any revision yet, so every object counts as new.";
  }
}

const CHANGE_KINDS = [
  { key: 'added', verb: 'create', label: 'to create' },
  { key: 'changed', verb: 'update', label: 'to update' },
  { key: 'removed', verb: 'delete', label: 'to delete' },
] as const;

function DiffResult({ diff }: { diff: LiveDiff }) {
  const { added, changed, removed, unchanged } = diff.diff;
  const nothing = added.length + changed.length + removed.length === 0;
  const entries: Array<{ verb: string; object: ObjectDiff }> =
    CHANGE_KINDS.flatMap(({ key, verb }) =>
      diff.diff[key].map(object => ({ verb, object })),
    );
  return (
    <Box data-testid="diff-result">
      <Typography variant="body2" gutterBottom>
        {comparedWith(diff)}
      </Typography>
      <Box mb={1}>
        {CHANGE_KINDS.map(({ key, verb, label }) => (
          <Chip
            key={key}
            size="small"
            label={`${diff.diff[key].length} ${label}`}
            data-testid={`diff-count-${verb}`}
            style={{ marginRight: 8 }}
          />
        ))}
        <Chip
          size="small"
          variant="outlined"
          label={`${unchanged} unchanged`}
          data-testid="diff-count-unchanged"
        />
      </Box>
      {nothing ? (
        <Alert severity="success" data-testid="diff-nothing">
          Nothing to change: applying revision {shortRevision(diff.revision)}{' '}
          would leave every object as it is.
        </Alert>
      ) : (
        entries.map(({ verb, object }) => (
          <Box
            key={`${verb}:${object.apiVersion}/${object.ref}`}
            mt={1}
            data-testid={`diff-object-${object.ref}`}
          >
            <Typography variant="subtitle2">
              {verb} {object.ref}{' '}
              <Typography
                variant="caption"
                component="span"
                color="textSecondary"
              >
                ({object.apiVersion})
              </Typography>
            </Typography>
            {verb === 'update' ? (
              <OperationList operations={object.patch} />
            ) : (
              <Typography variant="caption" color="textSecondary">
                {verb === 'create'
                  ? 'New object: its full definition is in the YAML below.'
                  : 'Labelled for this pool but no longer rendered: it will be pruned.'}
              </Typography>
            )}
          </Box>
        ))
      )}
    </Box>
  );
}

/** The "Diff against live cluster" button and what it found. */
function LiveDiffCard({ pool }: { pool: string }) {
  const api = useApi(aiGatewayApiRef);
  const [state, load] = useAsyncFn(() => api.diffLive(pool), [api, pool]);
  const asked = state.loading || state.value || state.error;
  return (
    <InfoCard title="What applying it would change">
      <Box mb={asked ? 2 : 0}>
        <Button
          variant="outlined"
          color="primary"
          size="small"
          onClick={load}
          disabled={state.loading}
        >
          {state.value || state.error
            ? 'Diff again'
            : 'Diff against live cluster'}
        </Button>
      </Box>
      {state.loading && <Progress />}
      {/* While diffing again, the previous answer is not shown as if it were the new one. */}
      {!state.loading && state.error && <DiffUnavailable error={state.error} />}
      {!state.loading && state.value && <DiffResult diff={state.value} />}
      {!asked && (
        <Typography variant="body2" color="textSecondary">
          Compares the rendered bundle with what is in the cluster: which
          objects would be created, updated or deleted, and which fields would
          change.
        </Typography>
      )}
    </InfoCard>
  );
}

/**
 * A pool's rendered bundle: revision, objects by kind, renderer warnings and
 * the YAML (copy, download), with a diff against the live cluster on demand.
 *
 * @public
 */
export function PoolManifestsTab() {
  const { entity } = useEntity();
  const pool = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const manifests = useAsync(async () => {
    const [bundle, yamlFile] = await Promise.all([
      api.getManifests(pool),
      api.getManifestsYaml(pool),
    ]);
    return { bundle, yamlFile };
  }, [api, pool]);

  if (manifests.loading && !manifests.value) return <Progress />;
  if (manifests.error) {
    return (
      <ResponseErrorPanel
        title="The pool's manifests could not be loaded"
        error={manifests.error}
      />
    );
  }
  const { bundle, yamlFile } = manifests.value!;
  if (bundle.objects.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="The pool renders no objects"
        description={`Renderer ${bundle.renderer} produced nothing for pool ${pool}; check its configuration.`}
      />
    );
  }
  // The file is named after the revision of the YAML it holds.
  const fileName = `${pool}-${shortRevision(
    yamlFile.revision || bundle.revision,
  )}.yaml`;
  const lines = yamlFile.yaml.split('\n').length;
  return (
    <Grid container spacing={3} data-testid="pool-manifests">
      <Grid item xs={12}>
        <InfoCard title="Rendered bundle">
          <Typography
            variant="body2"
            data-testid="manifests-revision"
            title={bundle.revision}
          >
            Revision {shortRevision(bundle.revision)} · renderer{' '}
            {bundle.renderer} · namespace {bundle.namespace}
          </Typography>
          <Typography
            variant="body2"
            data-testid="manifests-count"
            gutterBottom
          >
            {bundle.objects.length} object
            {bundle.objects.length === 1 ? '' : 's'}
          </Typography>
          <Box mb={1}>
            {countByKind(bundle).map(([kind, n]) => (
              <Chip
                key={kind}
                size="small"
                variant="outlined"
                label={`${kind} × ${n}`}
                data-testid={`kind-count-${kind}`}
                style={{ margin: '0 8px 4px 0' }}
              />
            ))}
          </Box>
          {bundle.warnings.length > 0 && (
            <Alert severity="warning" data-testid="manifests-warnings">
              <AlertTitle>
                {bundle.warnings.length} thing
                {bundle.warnings.length === 1 ? '' : 's'} the renderer could not
                express
              </AlertTitle>
              {bundle.warnings.map(w => (
                <Typography key={w} variant="body2">
                  {w}
                </Typography>
              ))}
            </Alert>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <LiveDiffCard pool={pool} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`YAML (${lines} lines)`}>
          <CodeBlock
            text={yamlFile.yaml}
            language="yaml"
            label={`YAML of pool ${pool}, revision ${shortRevision(
              yamlFile.revision || bundle.revision,
            )}`}
            showLineNumbers
            copyTestId="copy-manifests"
            actions={
              <DownloadButton text={yamlFile.yaml} fileName={fileName} />
            }
            testId="manifests-yaml"
            maxHeight={800}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
