import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the current document. The production server makes one per
 * request and passes it in the load context; entry.server.tsx provides it here so <Scripts> and
 * <ScrollRestoration> can mark Remix's inline scripts. In the browser (and in `npm run dev`,
 * which sets no CSP) it is empty: browsers hide nonces from the DOM once the page has loaded.
 */
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export const useNonce = () => useContext(NonceContext);
