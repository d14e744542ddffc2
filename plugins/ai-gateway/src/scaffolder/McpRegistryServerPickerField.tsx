import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import {
  aiGatewayApiRef,
  type McpRegistryEntry,
  type McpRegistryEntryInput,
} from '../api/AiGatewayApi';

/**
 * The value of the field: an entry of a configured MCP registry (its latest
 * version is deployed).
 *
 * @public
 */
export type McpRegistryServerPickerValue = {
  source?: string;
  serverName?: string;
};

const PAGE_SIZE = 30;

const inputPlace: Record<McpRegistryEntryInput['in'], string> = {
  environmentVariable: 'environment variable',
  header: 'header',
  urlVariable: 'URL variable',
};

function describeInput(input: McpRegistryEntryInput): string {
  return `${input.name} (${inputPlace[input.in]}${
    input.required ? ', required' : ', optional'
  })${input.description ? `: ${input.description}` : ''}`;
}

/** What the chosen entry needs from the next steps of the form. */
function EntryNeeds(props: { entry: McpRegistryEntry }) {
  const { secrets, values } = props.entry;
  if (!secrets.length && !values.length) {
    return (
      <Alert severity="info" data-testid="ai-gateway-registry-needs">
        {props.entry.server.name} needs no secrets or values.
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="ai-gateway-registry-needs">
      {secrets.length > 0 && (
        <>
          <Typography variant="body2">
            Secrets it needs (give each a Kubernetes Secret reference in the
            next step, under its name):
          </Typography>
          <ul style={{ margin: 0 }}>
            {secrets.map(s => (
              <li key={`${s.in}-${s.name}`}>{describeInput(s)}</li>
            ))}
          </ul>
        </>
      )}
      {values.length > 0 && (
        <>
          <Typography variant="body2">Values without a default:</Typography>
          <ul style={{ margin: 0 }}>
            {values.map(v => (
              <li key={`${v.in}-${v.name}`}>{describeInput(v)}</li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}

/**
 * Picks an entry of an MCP registry the portal is configured with
 * (`aiGateway.mcpRegistry.sources`): the source (when there are several), a
 * search by name, and the latest entries with their version, whether the
 * gateway reaches a remote or runs a container image, and why an entry
 * cannot be deployed (those are not selectable). Shows the secrets the
 * chosen entry needs, for the form's next step.
 *
 * @public
 */
export function McpRegistryServerPickerField(
  props: FieldExtensionComponentProps<McpRegistryServerPickerValue>,
) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  const api = useApi(aiGatewayApiRef);
  const id = idSchema?.$id ?? 'ai-gateway-registry-server';

  const sources = useAsync(() => api.listMcpRegistrySources(), [api]);
  const [source, setSource] = useState<string | undefined>(formData?.source);
  useEffect(() => {
    if (!source && sources.value?.length) setSource(sources.value[0].name);
  }, [source, sources.value]);

  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  useDebounce(() => setQuery(search.trim()), 300, [search]);

  // Pages of the current source and search, appended as "More" is asked;
  // a new source or search starts from the first page.
  const key = `${source}\n${query}`;
  const [next, setNext] = useState<{ key: string; cursor?: string }>({ key });
  const cursor = next.key === key ? next.cursor : undefined;
  const [loaded, setLoaded] = useState<{
    key: string;
    entries: McpRegistryEntry[];
  }>();
  const entries = loaded?.key === key ? loaded.entries : [];
  const latestCall = useRef(0);
  const page = useAsync(async () => {
    if (!source) return undefined;
    const call = ++latestCall.current;
    const answer = await api.listMcpRegistryEntries(source, {
      ...(query ? { search: query } : {}),
      ...(cursor ? { cursor } : {}),
      limit: PAGE_SIZE,
    });
    // An answer to an older search must not replace the current one.
    if (call === latestCall.current) {
      setLoaded(previous => ({
        key,
        entries:
          cursor && previous?.key === key
            ? [...previous.entries, ...answer.servers]
            : answer.servers,
      }));
    }
    return answer;
  }, [api, source, query, cursor]);
  const more = page.value?.nextCursor;
  const [chosen, setChosen] = useState<McpRegistryEntry | undefined>();

  const selected =
    chosen && chosen.server.name === formData?.serverName
      ? chosen
      : entries.find(
          e =>
            e.server.name === formData?.serverName &&
            source === formData?.source,
        );

  const choose = (entry: McpRegistryEntry) => {
    setChosen(entry);
    onChange({ source, serverName: entry.server.name });
  };

  let helper: string | undefined;
  if (sources.error) {
    helper = `Could not load the MCP registries: ${sources.error.message}`;
  } else if (sources.value && sources.value.length === 0) {
    helper =
      'No MCP registry is configured: an administrator adds them under aiGateway.mcpRegistry.sources';
  } else if (page.error) {
    helper = `Could not read the registry: ${page.error.message}`;
  }

  return (
    <FormControl
      margin="normal"
      required={required}
      error={!!rawErrors?.length || !!sources.error || !!page.error}
      fullWidth
    >
      <Typography variant="subtitle1">
        {schema.title ?? 'MCP registry entry'}
      </Typography>
      {sources.value && sources.value.length > 1 && (
        <FormControl margin="dense" fullWidth>
          <InputLabel id={`${id}-source-label`}>Registry</InputLabel>
          <Select
            labelId={`${id}-source-label`}
            data-testid="ai-gateway-registry-source"
            value={source ?? ''}
            onChange={e => setSource(e.target.value as string)}
          >
            {sources.value.map(s => (
              <MenuItem
                key={s.name}
                value={s.name}
                data-testid={`ai-gateway-registry-source-${s.name}`}
              >
                {s.title ?? `${s.name} (${s.url})`}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      )}
      {source && (
        <TextField
          margin="dense"
          label="Search by name"
          value={search}
          onChange={e => setSearch(e.target.value)}
          inputProps={{ 'data-testid': 'ai-gateway-registry-search' }}
        />
      )}
      {source && (
        <List dense data-testid="ai-gateway-registry-entries">
          {entries.map(entry => {
            const { server } = entry;
            return (
              <ListItem
                key={server.name}
                button
                divider
                disabled={!entry.importable}
                selected={selected?.server.name === server.name}
                onClick={() => entry.importable && choose(entry)}
                data-testid={`ai-gateway-registry-entry-${server.name}`}
              >
                <Box width="100%">
                  <Box display="flex" alignItems="center" flexWrap="wrap">
                    <Typography variant="body1">
                      {server.title ?? server.name}
                    </Typography>
                    &nbsp;
                    <Typography variant="body2" color="textSecondary">
                      {server.title ? `${server.name} ` : ''}
                      {server.version}
                    </Typography>
                    &nbsp;
                    {entry.kind && (
                      <Chip
                        size="small"
                        label={
                          entry.kind === 'remote'
                            ? 'remote server'
                            : 'container image'
                        }
                      />
                    )}
                  </Box>
                  <Typography variant="body2">{server.description}</Typography>
                  {!entry.importable && (
                    <Typography
                      variant="body2"
                      color="error"
                      style={{ whiteSpace: 'normal' }}
                    >
                      Cannot be deployed: {entry.reason}
                    </Typography>
                  )}
                </Box>
              </ListItem>
            );
          })}
        </List>
      )}
      {page.loading && <FormHelperText>Reading the registry…</FormHelperText>}
      {!page.loading && loaded?.key === key && entries.length === 0 && (
        <FormHelperText>
          {query
            ? `No entry matches "${query}"`
            : 'The registry has no entries'}
        </FormHelperText>
      )}
      {page.value && page.value.invalid > 0 && (
        <FormHelperText>
          {page.value.invalid} entr{page.value.invalid === 1 ? 'y' : 'ies'} of
          this page {page.value.invalid === 1 ? 'is' : 'are'} no valid
          server.json and {page.value.invalid === 1 ? 'is' : 'are'} not shown
        </FormHelperText>
      )}
      {more && !page.loading && (
        <Box>
          <Button
            size="small"
            onClick={() => setNext({ key, cursor: more })}
            data-testid="ai-gateway-registry-more"
          >
            More entries
          </Button>
        </Box>
      )}
      {helper && <FormHelperText>{helper}</FormHelperText>}
      {formData?.serverName && !selected && (
        <FormHelperText>
          Chosen: {formData.serverName} of {formData.source}
        </FormHelperText>
      )}
      {selected && <EntryNeeds entry={selected} />}
    </FormControl>
  );
}
