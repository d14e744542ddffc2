/** Watch streams (`?watch=true`), for informers and wait-for-ready loops. */
import type { ServerResponse } from 'node:http';
import { JsonObject } from './json';
import { ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError } from './status';
import { ChangeEvent, ObjectStore } from './store';

/** Events kept for resuming watches from a resourceVersion. */
const HISTORY = 10_000;

type WatchEvent = { type: string; object: unknown };

export class WatchHub {
  private history: ChangeEvent[] = [];
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly store: ObjectStore) {
    store.onChange(event => {
      this.history.push(event);
      // Trimmed in batches so recording stays O(1) amortized.
      if (this.history.length > 2 * HISTORY) {
        this.history = this.history.slice(-HISTORY);
      }
    });
  }

  /**
   * Streams newline-delimited `{type, object}` events. Without a
   * resourceVersion (or with "0") it starts with ADDED events for what
   * exists; otherwise it replays newer events from recent history, or
   * answers an ERROR event with 410 Expired when that is too old.
   * Selectors filter on the object's new state only: an object that stops
   * matching is not reported as DELETED.
   */
  open(
    res: ServerResponse,
    request: {
      type: ResourceType;
      namespace?: string;
      query: URLSearchParams;
    },
  ) {
    const { type, namespace, query } = request;
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), type.kind);
    const matches = (
      eventType: ResourceType,
      eventNamespace: string,
      object: JsonObject,
    ) =>
      eventType.group === type.group &&
      eventType.plural === type.plural &&
      (namespace === undefined || eventNamespace === namespace) &&
      labels(object) &&
      fields(object);

    let backlog: WatchEvent[];
    const since = query.get('resourceVersion');
    if (!since || since === '0') {
      backlog = this.store
        .list(type, namespace)
        .filter(e => labels(e.object) && fields(e.object))
        .map(e => ({ type: 'ADDED', object: e.object }));
    } else {
      const from = Number(since);
      const oldest = this.history[0]?.resourceVersion;
      if (oldest !== undefined && from < oldest - 1) {
        const gone = new ApiError(
          410,
          'Expired',
          `too old resource version: ${since} (${oldest - 1})`,
        );
        backlog = [{ type: 'ERROR', object: gone.toStatus() }];
      } else {
        backlog = this.history
          .filter(
            e =>
              e.resourceVersion > from &&
              matches(e.resource, e.namespace, e.object),
          )
          .map(e => ({ type: e.type, object: e.object }));
      }
    }

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    // Clients wait for the headers before they consider the watch open.
    res.flushHeaders();
    const send = (event: WatchEvent) => res.write(`${JSON.stringify(event)}\n`);
    backlog.forEach(send);
    if (backlog[0]?.type === 'ERROR') {
      res.end();
      return;
    }
    const unsubscribe = this.store.onChange(event => {
      if (matches(event.resource, event.namespace, event.object)) {
        send({ type: event.type, object: event.object });
      }
    });
    this.streams.add(res);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => res.end(), timeoutSeconds * 1000)
        : undefined;
    timer?.unref();
    res.on('close', () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      this.streams.delete(res);
    });
  }

  /** Ends open streams; `abort` drops them like a vanished server would. */
  closeAll(abort: boolean) {
    for (const res of this.streams) {
      if (abort) res.destroy();
      else res.end();
    }
    this.streams.clear();
  }
}
