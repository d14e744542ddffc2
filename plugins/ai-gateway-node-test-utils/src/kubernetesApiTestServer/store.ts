/** In-memory object storage: server-managed metadata, controllers and change events. */
import { randomUUID } from 'node:crypto';
import { controllerFor } from './controllers';
import {
  FieldManager,
  managedFieldsEntries,
  sameOwnership,
} from './fieldManagers';
import { clone, deepEqual, isObject, JsonObject } from './json';
import { ResourceType } from './resources';

/**
 * A stored object. `object` is never mutated once stored (writes replace it),
 * so replies, watch events and history can share it without copying.
 */
export type Entry = {
  type: ResourceType;
  object: JsonObject;
  managers: FieldManager[];
  /** Generation the simulated controller last wrote status for. */
  reconciledGeneration?: number;
  /** When the simulated controller may act on the current generation. */
  readyAt: number;
  timer?: NodeJS.Timeout;
};

export type ChangeEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  namespace: string;
  object: JsonObject;
  resourceVersion: number;
};

/** `2024-05-01T10:00:00Z`: the API server's timestamps have second precision. */
export const timestamp = () =>
  new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const resourceKey = (type: ResourceType) => `${type.group}/${type.plural}`;

export function metadataOf(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

export function identityKey(
  type: ResourceType,
  namespace: string,
  name: string,
) {
  return `${type.group}/${type.plural}/${namespace}/${name}`;
}

/** Metadata the server owns; writes to the main resource cannot change it. */
const SERVER_METADATA = [
  'name',
  'namespace',
  'uid',
  'creationTimestamp',
  'generation',
  'resourceVersion',
];

/** The object without what the server changes on every write. */
function withoutVolatile(object: JsonObject): JsonObject {
  const { resourceVersion, managedFields, ...metadata } = metadataOf(object);
  return { ...object, metadata };
}

/** The object minus metadata and status: what `metadata.generation` counts changes of. */
function specOf(object: JsonObject): JsonObject {
  const { metadata, status, ...rest } = object;
  return rest;
}

export class ObjectStore {
  private readonly resources = new Map<
    string,
    Map<string, Map<string, Entry>>
  >();
  private revision = 0;
  private controllers = true;
  /** setStatus overrides, by identity; they outlive deletes so re-creates stay overridden. */
  private readonly statusOverrides = new Map<string, unknown>();
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  constructor(private readonly readinessDelayMs: number) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  find(type: ResourceType, namespace: string, name: string): Entry | undefined {
    const entry = this.resources
      .get(resourceKey(type))
      ?.get(namespace)
      ?.get(name);
    if (entry) this.reconcileIfDue(entry);
    return entry;
  }

  /** Entries of a type, in one namespace or all, sorted by namespace then name like etcd keys. */
  list(type: ResourceType, namespace?: string): Entry[] {
    const byNamespace = this.resources.get(resourceKey(type));
    if (!byNamespace) return [];
    const namespaces =
      namespace !== undefined ? [namespace] : [...byNamespace.keys()].sort();
    const out: Entry[] = [];
    for (const ns of namespaces) {
      const entries = byNamespace.get(ns);
      if (!entries) continue;
      const names = [...entries.keys()].sort();
      for (const name of names) {
        const entry = entries.get(name)!;
        this.reconcileIfDue(entry);
        out.push(entry);
      }
    }
    return out;
  }

  /** Every entry, for inspection. */
  all(): Entry[] {
    const out = [...this.entries()];
    for (const entry of out) this.reconcileIfDue(entry);
    return out;
  }

  private *entries(): Iterable<Entry> {
    for (const byNamespace of this.resources.values()) {
      for (const entries of byNamespace.values()) yield* entries.values();
    }
  }

  namespaceExists(namespace: string): boolean {
    return this.resources.get('/namespaces')?.get('')?.has(namespace) ?? false;
  }

  private nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  private emit(type: ChangeEvent['type'], entry: Entry) {
    if (this.listeners.size === 0) return;
    const event: ChangeEvent = {
      type,
      resource: entry.type,
      namespace: String(metadataOf(entry.object).namespace ?? ''),
      object: entry.object,
      resourceVersion: this.revision,
    };
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Stores a new object, filling in server-managed metadata. With `dryRun`
   * the result is computed but nothing is stored; `seed` (objects put by a
   * test) keeps a given uid, creationTimestamp and status.
   */
  insert(
    type: ResourceType,
    object: JsonObject,
    managers: FieldManager[],
    options: { dryRun?: boolean; seed?: boolean } = {},
  ): JsonObject {
    const metadata = metadataOf(object);
    const namespace = type.namespaced ? String(metadata.namespace) : '';
    const { metadata: _m, status, apiVersion, kind, ...rest } = object;
    const {
      managedFields: _f,
      selfLink: _s,
      deletionTimestamp: _d,
      resourceVersion: _r,
      ...userMetadata
    } = metadata;
    const stored: JsonObject = {
      apiVersion,
      kind,
      metadata: {
        ...userMetadata,
        uid:
          options.seed && typeof metadata.uid === 'string'
            ? metadata.uid
            : randomUUID(),
        ...(options.dryRun ? {} : { resourceVersion: this.nextRevision() }),
        generation: 1,
        creationTimestamp:
          options.seed && typeof metadata.creationTimestamp === 'string'
            ? metadata.creationTimestamp
            : timestamp(),
        ...(managers.length > 0
          ? { managedFields: managedFieldsEntries(managers) }
          : {}),
      },
      ...rest,
    };
    if (!type.namespaced) delete metadataOf(stored).namespace;
    if (type.kind === 'Namespace' && type.group === '') {
      stored.status = { phase: 'Active' };
    } else if (options.seed && status !== undefined) {
      stored.status = status;
    }
    const entry: Entry = { type, object: stored, managers, readyAt: 0 };
    if (options.dryRun) return stored;
    let byNamespace = this.resources.get(resourceKey(type));
    if (!byNamespace) {
      byNamespace = new Map();
      this.resources.set(resourceKey(type), byNamespace);
    }
    let entries = byNamespace.get(namespace);
    if (!entries) {
      entries = new Map();
      byNamespace.set(namespace, entries);
    }
    entries.set(String(metadata.name), entry);
    if (options.seed && status !== undefined) entry.reconciledGeneration = 1;
    this.applyOverride(entry);
    this.emit('ADDED', entry);
    this.schedule(entry);
    return stored;
  }

  /**
   * Replaces an object's content. Server-managed metadata is carried over,
   * `generation` counts spec changes, and a write that changes nothing keeps
   * the resourceVersion (as a no-op apply does on a real server).
   */
  update(
    entry: Entry,
    content: JsonObject,
    managers: FieldManager[],
    options: { dryRun?: boolean; statusWrite?: boolean } = {},
  ): JsonObject {
    const previous = entry.object;
    const before = metadataOf(previous);
    let next: JsonObject;
    if (options.statusWrite) {
      // A status write changes nothing but status.
      next = { ...previous, metadata: { ...before } };
      if (content.status === undefined) delete next.status;
      else next.status = content.status;
    } else {
      const metadata = { ...metadataOf(content) };
      for (const key of SERVER_METADATA) {
        if (before[key] === undefined) delete metadata[key];
        else metadata[key] = before[key];
      }
      next = { ...content, metadata };
      // Status only changes through the status subresource.
      if (previous.status !== undefined) next.status = previous.status;
      else delete next.status;
    }
    const specChanged = !deepEqual(specOf(previous), specOf(next));
    if (
      !specChanged &&
      deepEqual(withoutVolatile(previous), withoutVolatile(next)) &&
      sameOwnership(entry.managers, managers)
    ) {
      return previous;
    }
    const nextMetadata = metadataOf(next);
    if (specChanged)
      nextMetadata.generation = Number(before.generation ?? 1) + 1;
    if (managers.length > 0)
      nextMetadata.managedFields = managedFieldsEntries(managers);
    else delete nextMetadata.managedFields;
    if (options.dryRun) return next;
    nextMetadata.resourceVersion = this.nextRevision();
    entry.object = next;
    entry.managers = managers;
    this.emit('MODIFIED', entry);
    if (specChanged) this.schedule(entry);
    return next;
  }

  remove(entry: Entry) {
    const metadata = metadataOf(entry.object);
    const namespace = entry.type.namespaced ? String(metadata.namespace) : '';
    const name = String(metadata.name);
    this.resources.get(resourceKey(entry.type))?.get(namespace)?.delete(name);
    if (entry.timer) clearTimeout(entry.timer);
    this.markDeleted(entry);
    // Namespaces take their objects with them (no finalizers, no delay).
    if (entry.type.kind === 'Namespace' && entry.type.group === '') {
      for (const byNamespace of this.resources.values()) {
        const entries = byNamespace.get(name);
        if (!entries) continue;
        byNamespace.delete(name);
        for (const child of entries.values()) {
          if (child.timer) clearTimeout(child.timer);
          this.markDeleted(child);
        }
      }
    }
  }

  /** Watchers resume from the deletion's resourceVersion, so the event carries it. */
  private markDeleted(entry: Entry) {
    entry.object = {
      ...entry.object,
      metadata: {
        ...metadataOf(entry.object),
        resourceVersion: this.nextRevision(),
      },
    };
    this.emit('DELETED', entry);
  }

  setStatusOverride(
    type: ResourceType,
    namespace: string,
    name: string,
    status: unknown,
  ) {
    const key = identityKey(type, namespace, name);
    if (status === undefined) this.statusOverrides.delete(key);
    else this.statusOverrides.set(key, clone(status));
    const entry = this.resources
      .get(resourceKey(type))
      ?.get(namespace)
      ?.get(name);
    if (!entry) return;
    if (status === undefined) {
      // Let the controller write status again.
      entry.reconciledGeneration = undefined;
      this.reconcileIfDue(entry);
    } else {
      this.applyOverride(entry, true);
    }
  }

  setControllers(enabled: boolean) {
    this.controllers = enabled;
    if (enabled) this.all();
  }

  private applyOverride(entry: Entry, emit = false) {
    const metadata = metadataOf(entry.object);
    const key = identityKey(
      entry.type,
      entry.type.namespaced ? String(metadata.namespace) : '',
      String(metadata.name),
    );
    if (!this.statusOverrides.has(key)) return;
    const status = clone(this.statusOverrides.get(key));
    if (deepEqual(entry.object.status, status)) return;
    entry.object = { ...entry.object, status };
    if (emit) {
      metadataOf(entry.object).resourceVersion = this.nextRevision();
      this.emit('MODIFIED', entry);
    }
  }

  private hasOverride(entry: Entry): boolean {
    const metadata = metadataOf(entry.object);
    return this.statusOverrides.has(
      identityKey(
        entry.type,
        entry.type.namespaced ? String(metadata.namespace) : '',
        String(metadata.name),
      ),
    );
  }

  /** Arms the simulated controller after a spec change. */
  private schedule(entry: Entry) {
    if (!controllerFor(entry.type)) return;
    entry.readyAt = Date.now() + this.readinessDelayMs;
    if (entry.timer) clearTimeout(entry.timer);
    // The timer makes watchers see the status change; reads also reconcile
    // lazily, so a read after the delay never races the timer.
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.reconcileIfDue(entry);
    }, this.readinessDelayMs);
    entry.timer.unref();
  }

  private reconcileIfDue(entry: Entry) {
    if (!this.controllers) return;
    const controller = controllerFor(entry.type);
    if (!controller || Date.now() < entry.readyAt) return;
    const metadata = metadataOf(entry.object);
    const generation = Number(metadata.generation ?? 1);
    if (entry.reconciledGeneration === generation || this.hasOverride(entry))
      return;
    // A deleted entry's timer may still fire; only live entries are reconciled.
    const live = this.resources
      .get(resourceKey(entry.type))
      ?.get(entry.type.namespaced ? String(metadata.namespace) : '')
      ?.get(String(metadata.name));
    if (live !== entry) return;
    entry.reconciledGeneration = generation;
    entry.object = {
      ...entry.object,
      metadata: { ...metadata, resourceVersion: this.nextRevision() },
      status: controller(entry.object, generation, timestamp()),
    };
    this.emit('MODIFIED', entry);
  }

  /** Stops pending controller timers. */
  close() {
    for (const entry of this.entries()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }
}
