import { useCallback, useEffect, useState } from 'react';

/** Loads a value, with loading and error states and a reload (for after an action). */
export function useAsyncValue<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ loading: boolean; value?: T; error?: Error }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState(s => ({ ...s, loading: true }));
    load()
      .then(value => !cancelled && setState({ loading: false, value }))
      .catch(error => !cancelled && setState({ loading: false, error }));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick(t => t + 1), []);
  return { ...state, reload };
}

export const ANNOTATION_KIND = 'ai-gateway.io/kind';
export const ANNOTATION_POOL = 'ai-gateway.io/pool';
