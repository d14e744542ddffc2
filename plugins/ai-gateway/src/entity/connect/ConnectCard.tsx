import {
  describeServedState,
  effectivePolicy,
  type Policy,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { ErrorText } from '../../components/ErrorText';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useObjectWithPoolStatus } from '../../hooks/useObjectWithPoolStatus';
import { CopyableText } from '../../components/CopyableText';
import { CodeBlock, codeLanguage } from '../../components/CodeBlock';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  aiBackendEndpoint,
  aiBackendSnippets,
  authRequirement,
  exampleModel,
  mcpSnippets,
  policyInWords,
  type AuthRequirement,
  type Snippet,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** Ready-to-paste snippets, one tab each, with a copy button. */
export function SnippetTabs(props: { idPrefix: string; snippets: Snippet[] }) {
  const { idPrefix, snippets } = props;
  const [index, setIndex] = useState(0);
  const current = snippets[Math.min(index, snippets.length - 1)];
  if (!current) return null;
  return (
    <Box mt={2}>
      <Tabs
        value={Math.min(index, snippets.length - 1)}
        onChange={(_, i) => setIndex(i)}
        indicatorColor="primary"
        textColor="primary"
        variant="scrollable"
        scrollButtons="auto"
        aria-label="Client snippets"
      >
        {snippets.map((s, i) => (
          <Tab
            key={s.id}
            label={s.title}
            id={`${idPrefix}-tab-${s.id}`}
            aria-controls={`${idPrefix}-panel-${s.id}`}
            value={i}
          />
        ))}
      </Tabs>
      <Box
        role="tabpanel"
        id={`${idPrefix}-panel-${current.id}`}
        aria-labelledby={`${idPrefix}-tab-${current.id}`}
        data-testid={`snippet-${current.id}`}
        mt={1}
      >
        <CodeBlock
          text={current.code}
          language={codeLanguage(current.language)}
          label={`${current.title} snippet`}
          copyLabel={`Copy ${current.title}`}
          copyTestId={`copy-${current.id}`}
          testId="snippet-code"
        />
      </Box>
    </Box>
  );
}

function AuthSection({ auth }: { auth: AuthRequirement }) {
  return (
    <Box mt={2} data-testid="connect-auth" data-auth={auth.kind}>
      <Typography variant="subtitle2" component="h3">
        Authentication
      </Typography>
      <Typography variant="body2">{auth.summary}</Typography>
      {(auth.kind === 'jwt' || auth.kind === 'api-key') && (
        <Typography variant="body2">
          Header:{' '}
          <code>
            {auth.header}: Bearer ${auth.envVar}
          </code>{' '}
          — the snippets read the credential from the environment variable{' '}
          <code>{auth.envVar}</code> (set by {auth.from}); never paste it into a
          file you commit.
        </Typography>
      )}
    </Box>
  );
}

function PolicySection({
  sections,
}: {
  sections: ReturnType<typeof policyInWords>;
}) {
  return (
    <Box mt={2} data-testid="connect-policy">
      <Typography variant="subtitle2" component="h3">
        What the gateway applies
      </Typography>
      {sections.length === 0 ? (
        <Typography variant="body2">No policy applies here.</Typography>
      ) : (
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {sections.map(s => (
            <li key={s.section}>
              <Typography variant="body2" component="span">
                {s.text}{' '}
              </Typography>
              <Typography
                variant="caption"
                component="span"
                color="textSecondary"
              >
                ({s.from})
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}

/**
 * How a developer calls what the entity is: its URL, the authentication the
 * effective policy asks for, the other rules in words, and snippets for
 * curl, IDE agents (MCP servers) or the OpenAI SDKs (AI backends). Secrets
 * appear only as environment variable names.
 *
 * @public
 */
export function ConnectCard() {
  const { entity } = useEntity();
  const kind = entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION];
  const isMcp = kind === 'mcpServer';
  const name = entity.metadata.name;
  // Without the policies the card still gives the URL and snippets.
  const data = useObjectWithPoolStatus(isMcp ? 'mcp-servers' : 'ai-backends', {
    withPolicies: true,
  });

  let body;
  if (data.loading && !data.value) body = <Progress />;
  else if (data.error)
    body = (
      <ResponseErrorPanel
        title="How to connect could not be loaded"
        error={data.error}
      />
    );
  else {
    const { object, pool, status, policies } = data.value!;
    const sections = policies
      ? effectivePolicy(
          policies.map(p => p.spec as Policy),
          { level: 'backend', target: name },
        )
      : [];
    const auth: AuthRequirement = policies
      ? authRequirement(sections)
      : {
          kind: 'unknown',
          summary: `Unknown: the policies of pool ${object.spec.pool} could not be read, so the snippets send no credential; ask the project's owner whether the gateway asks for one.`,
        };
    const what = `${isMcp ? 'MCP server' : 'AI backend'} ${name}`;
    const served = pool
      ? describeServedState(what, pool.spec as any, status)
      : undefined;
    let url: string | undefined;
    let snippets: Snippet[] = [];
    let note: string | undefined;
    if (isMcp) {
      url = object.derived?.url;
      if (url) snippets = mcpSnippets(name, url, auth);
      note = `The gateway speaks MCP Streamable HTTP to clients (the server behind it uses ${object.spec.transport}).`;
    } else if (pool) {
      const endpoint = aiBackendEndpoint(pool.spec as any, {
        name,
        spec: object.spec.spec,
      });
      url = endpoint.baseUrl;
      if (endpoint.kind === 'openai') {
        snippets = aiBackendSnippets(url, exampleModel(object.spec.spec), auth);
        note =
          'An OpenAI-compatible API: use this as the base URL of an OpenAI SDK (POST /chat/completions under it).';
        if (object.spec.spec.models?.length)
          note += ` The models ${object.spec.spec.models.join(
            ', ',
          )} are also routed by name at https://${
            new URL(url).host
          }/v1, whichever backend serves them.`;
      } else if (endpoint.kind === 'mcp') {
        snippets = mcpSnippets(name, url, auth);
        note = 'An MCP backend: MCP clients connect over Streamable HTTP.';
      } else {
        note = `A ${object.spec.spec.kind} backend: requests under this URL go to it with the /${name} prefix removed.`;
      }
    }
    const tools = isMcp
      ? object.spec.tools ?? { allow: [], deny: [] }
      : undefined;
    body = (
      <Box data-testid="connect-card">
        {served && !served.served && (
          <ErrorText variant="body2" data-testid="connect-not-served">
            Calls fail until it is served: {served.message}
          </ErrorText>
        )}
        <Typography variant="subtitle2" component="h3">
          Endpoint
        </Typography>
        {url ? (
          <CopyableText text={url} testId="connect-url" />
        ) : (
          <Typography variant="body2">
            {isMcp
              ? 'The URL is not known yet: the pool could not be read.'
              : `The URL is not known: pool ${object.spec.pool} could not be read.`}
          </Typography>
        )}
        {note && <Typography variant="body2">{note}</Typography>}
        <AuthSection auth={auth} />
        {policies && <PolicySection sections={policyInWords(sections)} />}
        {tools && (
          <Box mt={2} data-testid="connect-tools">
            <Typography variant="subtitle2" component="h3">
              Tools
            </Typography>
            <Typography variant="body2">
              Allowed: {tools.allow.length ? tools.allow.join(', ') : 'all'}
            </Typography>
            <Typography variant="body2">
              Denied: {tools.deny.length ? tools.deny.join(', ') : 'none'}
            </Typography>
          </Box>
        )}
        {snippets.length > 0 && (
          <SnippetTabs idPrefix={`connect-${name}`} snippets={snippets} />
        )}
      </Box>
    );
  }
  return <InfoCard title="Connect">{body}</InfoCard>;
}
