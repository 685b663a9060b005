// A real OpenID Connect provider (the npm package oidc-provider) for Bondgenoot's
// single sign-on tests. Never for production: every password is accepted.
//
// Started by bondgenoot/accounts/tests/oidc.py on a free loopback port; it prints
// "ready <issuer>" on its first line. Environment:
//   OIDC_CLIENTS  JSON list of clients: [{client_id, client_secret, redirect_uris}]
//
// The sign-in page (/interaction/<uid>) asks for an account name and, optionally, the
// amr and acr values the login should assert (a comma-separated amr list, one acr).
// An account name is an email address, optionally behind a mode that makes the
// provider misbehave on purpose, so the tests can check that Bondgenoot refuses:
//   wrong-aud:<email>     the ID token is for another client (aud)
//   expired:<email>       the ID token expired an hour ago (exp)
//   replay-nonce:<email>  the ID token carries the nonce of the previous login
//   wrong-iss:<email>     the ID token names another issuer (iss)
//   userinfo:<email>      the email claim is only at the userinfo endpoint
//   unverified:<email>    email_verified is false
//   no-email:<email>      the ID token has no email claim
// Misbehaving tokens are re-signed with the provider's own key, so the signature is
// valid and only the claim under test is wrong.
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]').map((c) => ({
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  ...c,
}));

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

function parseAccount(id) {
  const at = id.indexOf(':');
  return at > 0 ? { mode: id.slice(0, at), email: id.slice(at + 1) } : { mode: '', email: id };
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: ['only-for-tests'] },
  features: { devInteractions: { enabled: false } },
  // Like the identity providers of schools: the user's claims in the ID token itself.
  conformIdTokenClaims: false,
  // amr and acr with the openid scope: in every ID token whose login set them.
  claims: { openid: ['sub', 'amr', 'acr'], email: ['email', 'email_verified'], profile: ['name'] },
  acrValues: ['urn:test:password', 'urn:test:mfa'],
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const { mode, email } = parseAccount(id);
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: 'Test Account' };
        if (mode !== 'no-email') {
          claims.email = email;
          claims.email_verified = mode !== 'unverified';
        }
        return claims;
      },
    };
  },
  // A first-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The sign-in page and its answer.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'POST') {
    const form = await readBody(ctx.req);
    const login = { accountId: form.get('login') || '' };
    const amr = (form.get('amr') || '').split(',').map((v) => v.trim()).filter(Boolean);
    if (amr.length) login.amr = amr;
    if (form.get('acr')) login.acr = form.get('acr');
    const target = await provider.interactionResult(ctx.req, ctx.res, { login });
    ctx.status = 303;
    ctx.redirect(target);
    return undefined;
  }
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test identity provider</title></head><body><main>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(details.uid)}">
<p><label for="login">Account</label> <input id="login" name="login" autocomplete="off"></p>
<p><label for="amr">amr</label> <input id="amr" name="amr"></p>
<p><label for="acr">acr</label> <input id="acr" name="acr"></p>
<p><button type="submit">Sign in</button></p>
</form></main></body></html>`;
  return undefined;
});

// Misbehaviour on purpose, at the token endpoint (see the top of this file).
let previousNonce = 'no-earlier-login';
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const { mode } = parseAccount(String(claims.sub));
  const nonce = claims.nonce;
  const now = Math.floor(Date.now() / 1000);
  let changed = true;
  if (mode === 'wrong-aud') claims.aud = 'another-application';
  else if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  else if (mode === 'replay-nonce') claims.nonce = previousNonce;
  else if (mode === 'wrong-iss') claims.iss = `${issuer}/another-tenant`;
  else if (mode === 'userinfo') delete claims.email;
  else changed = false;
  previousNonce = nonce;
  if (changed) {
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
        .sign(privateKey),
    };
  }
});

server.on('request', provider.callback());
// No SIGTERM handler: node's default ends the process at once when the tests stop it.
process.stdout.write(`ready ${issuer}\n`);
