import { EmptyState } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useId, useState } from 'react';
import { aiGatewayApiRef, type UsageRequest } from '../api/AiGatewayApi';
import { USAGE_RANGES, type UsageRangeValue } from '../hooks/useUsage';
import { downloadText } from './DownloadButton';

const useStyles = makeStyles((theme: Theme) => ({
  // The outlined label's default grey is below 4.5:1 on the page background.
  label: { color: theme.palette.text.primary },
  select: { minWidth: 180 },
}));

/** The time range of a usage view (1 hour to 90 days). */
export function UsageRangeSelect(props: {
  value: UsageRangeValue;
  onChange: (range: UsageRangeValue) => void;
}) {
  const classes = useStyles();
  const id = useId();
  return (
    <FormControl variant="outlined" size="small" className={classes.select}>
      <InputLabel id={`${id}-label`} className={classes.label}>
        Time range
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label="Time range"
        value={props.value}
        onChange={e => props.onChange(e.target.value as UsageRangeValue)}
      >
        {USAGE_RANGES.map(r => (
          <MenuItem key={r.value} value={r.value}>
            {r.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** Downloads the usage of a request as CSV (the REST API's `format=csv`). */
export function UsageCsvButton(props: {
  what: 'totals' | 'timeseries';
  request: UsageRequest;
  fileName: string;
  label?: string;
}) {
  const api = useApi(aiGatewayApiRef);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            downloadText(
              await api.getUsageCsv(props.what, props.request),
              props.fileName,
              'text/csv',
            );
          } catch (e) {
            setError(e as Error);
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.label ?? 'Export CSV'}
      </Button>
      {error && (
        <Alert severity="error" role="alert">
          The CSV could not be downloaded: {error.message}
        </Alert>
      )}
    </>
  );
}

/**
 * No metrics source is configured: what to configure, in the backend's words
 * (its message names the config keys), or in ours when it gave none.
 */
export function UsageNotConfigured(props: { message?: string }) {
  return (
    <EmptyState
      missing="info"
      title="No metrics source is configured"
      description={
        <Typography variant="body2" component="span" display="block">
          {props.message ?? (
            <>
              Usage, cost and latency are read from a Prometheus that scrapes
              the gateways. Set <code>aiGateway.metrics.prometheus.url</code>{' '}
              (or{' '}
              <code>
                aiGateway.metrics.clusters.&lt;cluster&gt;.prometheus.url
              </code>{' '}
              per cluster) in the backend's app-config.yaml.
            </>
          )}
        </Typography>
      }
    />
  );
}

/** Configured, but nothing was measured in the range. */
export function UsageNoTraffic(props: { range: string; what: string }) {
  return (
    <Typography variant="body2">
      No traffic through {props.what} in the {props.range}: the gateways
      reported no requests, tokens or MCP calls.
    </Typography>
  );
}
