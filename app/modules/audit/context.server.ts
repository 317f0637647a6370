import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The API token a request is being served with, for as long as its handler runs. The audit
 * trail reads it (./repository.server.ts) and the API handler sets it, so every event a service writes for
 * an API call names the token, without threading a token id through every service.
 */
const store = new AsyncLocalStorage<{ tokenId: number }>();

export const runWithApiToken = <T>(tokenId: number, fn: () => Promise<T>): Promise<T> => store.run({ tokenId }, fn);

export const currentApiTokenId = (): number | null => store.getStore()?.tokenId ?? null;
