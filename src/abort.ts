import { APIUserAbortError } from './errors.js';

/**
 * Settle like `start` does, or reject with `APIUserAbortError` as soon as `signal` aborts;
 * `onAbort` then tidies up (a timer cleared). Without a signal this is `start` itself.
 */
function raceAbort<T>(
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
  onAbort?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new APIUserAbortError());
      return;
    }
    const abort = (): void => {
      onAbort?.();
      reject(new APIUserAbortError());
    };
    signal?.addEventListener('abort', abort, { once: true });
    start(
      (value) => {
        signal?.removeEventListener('abort', abort);
        resolve(value);
      },
      (error) => {
        signal?.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** Wait `ms`, or reject with `APIUserAbortError` (and clear the timer) as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return raceAbort<void>(
    signal,
    (resolve) => {
      timer = setTimeout(resolve, ms);
    },
    () => clearTimeout(timer),
  );
}

/**
 * `promise`, or a rejection with `APIUserAbortError` as soon as `signal` aborts. The promise
 * itself goes on: a renewal other calls share is not cancelled by one caller leaving.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return raceAbort<T>(signal, (resolve, reject) => promise.then(resolve, reject));
}
