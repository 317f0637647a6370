/** The local provider's own pages: plain HTML, served by the provider, never by the app. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} – local identity provider</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><p><strong>Local identity provider</strong> (for development and tests only)</p><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export function loginPage(uid: string, opts: { error?: string; login?: string; logins: string[] }) {
  const list = opts.logins.map((l) => `<li><code>${esc(l)}</code></li>`).join("");
  return page(
    "Sign in",
    `${opts.error ? `<p role="alert" id="error">${esc(opts.error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<p><label for="login">Email address or user name</label><br><input id="login" name="login" value="${esc(opts.login ?? "")}"></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password"></p>
<p><button type="submit">Sign in</button></p>
</form>
<h2>Identities on this provider</h2><ul>${list}</ul>`,
  );
}

export function consentPage(uid: string, clientName: string, scopes: string[]) {
  return page(
    "Share your details",
    `<p>${esc(clientName)} is asking for: ${esc(scopes.join(", "))}.</p>
<form method="post" action="/interaction/${esc(uid)}/confirm"><button type="submit">Continue</button></form>`,
  );
}

export function logoutPage(form: string, host: string) {
  return page(
    `Sign out of ${host}?`,
    `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

export function loggedOutPage() {
  return page("You have signed out", "<p>You have signed out of the local identity provider.</p>");
}
