// A real OpenID Connect provider on loopback, standing in for FranceConnect in the tests.
//
//   node tests/oidc/server.mjs PORT [--exit-on-stdin-close]
//
// Built on the npm package oauth2-mock-server (pinned in package.json; `make oidc-server` installs it).
// Listens on 127.0.0.1:PORT (0 = a free port) and, once ready, prints ONE JSON line on stdout:
//   {"issuer": "http://127.0.0.1:<port>", "client_id": "...", "port": <port>}
// With --exit-on-stdin-close it stops when its stdin closes (the pytest fixture uses it, so that a killed
// test run leaves no server behind). SIGTERM/SIGINT stop it too.
//
// Endpoints (issuer = http://127.0.0.1:<port>, advertised by <issuer>/.well-known/openid-configuration):
//   GET  /authorize   authorization-code flow only. client_id must be the configured one and redirect_uri an
//                     absolute http(s) URL on a loopback host (localhost, *.localhost, 127.0.0.1, [::1]);
//                     otherwise 400 JSON and no redirect. Otherwise 302 to redirect_uri with code and state
//                     (no login page: the login is immediate, with the claims set for the next login).
//   POST /token       grant_type=authorization_code. Client authentication: client_secret_post (client_id and
//                     client_secret in the form) or client_secret_basic (Authorization: Basic); a wrong client
//                     gets 401 invalid_client. The code is single-use, must come from /authorize, and the
//                     redirect_uri must be the one given there (400 invalid_grant otherwise); PKCE (plain/S256)
//                     is checked when a code_challenge was sent. Answers access_token, id_token (RS256, kid in
//                     the header, aud = client_id, nonce of the authorize request echoed), refresh_token.
//   GET  /userinfo    Authorization: Bearer <access_token> -> the claims of that login (401 for an unknown token).
//   GET  /jwks        the public RS256 key.
//
// Control endpoint (tests only, same server):
//   POST   /__claims  JSON object. Any key other than "tamper" sets the claims of the NEXT login, merged over
//                     the defaults below (a null value removes a claim, e.g. {"email": null}); claims persist in
//                     the id_token AND the userinfo answer. "tamper": KIND (or null) makes the next login's answer
//                     bad on purpose, KIND being one of:
//                       nonce          the id_token carries another nonce than the authorize request's
//                       signature      the id_token is signed with another RSA key (same kid, so a client that
//                                      checks the signature against the JWKS rejects it)
//                       issuer         the id_token's iss is not the issuer
//                       audience       the id_token's aud is another client
//                       expired        the id_token expired ten minutes ago
//                       access_denied  /authorize redirects with error=access_denied (the user cancelled)
//                     Both are one-shot: consumed by the next GET /authorize, then back to defaults / no tamper.
//   DELETE /__claims  forget what was set.   GET /__claims: what the next login will get.
//
// Client credentials: OIDC_CLIENT_ID / OIDC_CLIENT_SECRET from the environment, else the defaults below.

import { createServer } from "node:http";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";

const HOST = "127.0.0.1";
const CLIENT_ID = process.env.OIDC_CLIENT_ID || "mairie-de-demain-test";
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || "mairie-de-demain-test-secret";
const DEFAULT_CLAIMS = Object.freeze({
  sub: "franceconnect-test-sub",
  email: "camille.martin@example.org",
  email_verified: true,
  given_name: "Camille",
  family_name: "Martin",
});
const RESERVED_CLAIMS = new Set(["iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "tamper"]);
const TAMPERS = new Set(["nonce", "signature", "issuer", "audience", "expired", "access_denied"]);

const args = process.argv.slice(2);
const port = Number(args.find((arg) => !arg.startsWith("--")) ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("usage: node server.mjs PORT [--exit-on-stdin-close]  (PORT 0 = a free port)");
  process.exit(2);
}

let next = { claims: { ...DEFAULT_CLAIMS }, tamper: null }; // the next login
const flows = new Map(); // authorization code -> {redirectUri, nonce, codeChallenge, claims, tamper}
const grants = new Map(); // access token -> claims, for /userinfo

const issuer = new OAuth2Issuer();
const service = new OAuth2Service(issuer);
const signingKey = await issuer.keys.generate("RS256");
const rogueKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

service.on("beforeWellKnownOpenIdConfiguration", (config) => {
  Object.assign(config.body, {
    // Both, so that a client choosing from this list (django-allauth does) can use either.
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    grant_types_supported: ["authorization_code"],
    scopes_supported: ["openid", "profile", "email"],
    claims_supported: ["sub", "email", "email_verified", "given_name", "family_name"],
  });
  delete config.body.token_endpoint_auth_signing_alg_values_supported; // no private_key_jwt here
});

service.on("beforeAuthorizeRedirect", ({ url }, req) => {
  // The library sends the `url` object it passed us: mutate it, do not replace it.
  const code = url.searchParams.get("code");
  if (code === null) return; // unsupported response_type: the library already answers with an error
  const login = next;
  next = { claims: { ...DEFAULT_CLAIMS }, tamper: null };
  if (login.tamper === "access_denied") {
    url.searchParams.delete("code");
    url.searchParams.set("error", "access_denied");
    url.searchParams.set("error_description", "The user cancelled the login.");
    return;
  }
  flows.set(code, {
    redirectUri: req.query.redirect_uri,
    nonce: req.query.nonce,
    codeChallenge: req.query.code_challenge,
    claims: login.claims,
    tamper: login.tamper,
  });
});

// The library builds two tokens per token request: the access token (its payload has a "scope") and then the
// id_token (an "aud", the client id, and no "scope"). Both carry the login's claims.
service.on("beforeTokenSigning", (token, req) => {
  const flow = flows.get(req.body?.code);
  if (flow === undefined) return; // refused in beforeResponse
  Object.assign(token.payload, flow.claims);
  if ("scope" in token.payload) return;
  // The library echoes the nonce too, but forgets it at the first token request, even a refused one.
  if (flow.nonce !== undefined) token.payload.nonce = flow.nonce;
  const now = Math.floor(Date.now() / 1000);
  if (flow.tamper === "nonce") token.payload.nonce = `tampered-${randomUUID()}`;
  if (flow.tamper === "issuer") token.payload.iss = `${issuer.url}/not-the-issuer`;
  if (flow.tamper === "audience") token.payload.aud = "another-client";
  if (flow.tamper === "expired") Object.assign(token.payload, { iat: now - 4200, nbf: now - 4200, exp: now - 600 });
});

service.on("beforeResponse", (response, req) => {
  const problem = tokenRequestProblem(req);
  if (problem !== null) {
    response.statusCode = problem.status;
    response.body = { error: problem.error, error_description: problem.description };
    return;
  }
  const flow = flows.get(req.body.code);
  flows.delete(req.body.code);
  grants.set(response.body.access_token, flow.claims);
  if (flow.tamper === "signature") response.body.id_token = resign(response.body.id_token, rogueKey);
});

service.on("beforeUserinfo", (response, req) => {
  const [scheme, token] = (req.headers.authorization ?? "").split(" ");
  const claims = scheme === "Bearer" ? grants.get(token) : undefined;
  if (claims === undefined) {
    response.statusCode = 401;
    response.body = { error: "invalid_token" };
    return;
  }
  response.body = { ...claims };
});

function tokenRequestProblem(req) {
  const body = req.body ?? {};
  if (body.grant_type !== "authorization_code") {
    return { status: 400, error: "unsupported_grant_type", description: "Only authorization_code." };
  }
  const [clientId, clientSecret] = clientCredentials(req);
  if (clientId !== CLIENT_ID || clientSecret !== CLIENT_SECRET) {
    return { status: 401, error: "invalid_client", description: "Unknown client or wrong secret." };
  }
  const flow = flows.get(body.code);
  if (flow === undefined) {
    return { status: 400, error: "invalid_grant", description: "Unknown or already used code." };
  }
  if (body.redirect_uri !== flow.redirectUri) {
    flows.delete(body.code);
    return { status: 400, error: "invalid_grant", description: "redirect_uri differs from the authorize request." };
  }
  if (flow.codeChallenge !== undefined && body.code_verifier === undefined) {
    flows.delete(body.code);
    return { status: 400, error: "invalid_grant", description: "code_verifier required." };
  }
  return null;
}

function clientCredentials(req) {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Basic ")) {
    // RFC 6749 2.3.1: both parts form-urlencoded before the base64.
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) return [undefined, undefined];
    const unescape = (part) => decodeURIComponent(part.replaceAll("+", " "));
    try {
      return [unescape(decoded.slice(0, colon)), unescape(decoded.slice(colon + 1))];
    } catch {
      return [undefined, undefined];
    }
  }
  return [req.body.client_id, req.body.client_secret];
}

function resign(jwt, privateKey) {
  const [header, payload] = jwt.split(".");
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

function sendJson(res, status, body) {
  const content = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(content);
}

function authorizeProblem(params) {
  if (params.get("client_id") !== CLIENT_ID) return "Unknown client_id.";
  let redirect;
  try {
    redirect = new URL(params.get("redirect_uri") ?? "");
  } catch {
    return "redirect_uri must be an absolute URL.";
  }
  const host = redirect.hostname;
  const loopback = host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]";
  if (!["http:", "https:"].includes(redirect.protocol) || !loopback) {
    return "redirect_uri must be an http(s) URL on a loopback host.";
  }
  return null;
}

async function control(req, res) {
  if (req.method === "GET") return sendJson(res, 200, next);
  if (req.method === "DELETE") {
    next = { claims: { ...DEFAULT_CLAIMS }, tamper: null };
    return sendJson(res, 200, next);
  }
  if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) return sendJson(res, 413, { error: "too_large" });
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return sendJson(res, 400, { error: "invalid_json" });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return sendJson(res, 400, { error: "expected a JSON object" });
  }
  const { tamper, ...claims } = body;
  if (tamper !== undefined && tamper !== null && !TAMPERS.has(tamper)) {
    return sendJson(res, 400, { error: `unknown tamper, expected one of: ${[...TAMPERS].join(", ")}` });
  }
  const reserved = Object.keys(claims).filter((name) => RESERVED_CLAIMS.has(name));
  if (reserved.length > 0) return sendJson(res, 400, { error: `reserved claims: ${reserved.join(", ")}` });
  if ("sub" in claims && (typeof claims.sub !== "string" || claims.sub === "")) {
    return sendJson(res, 400, { error: "sub must be a non-empty string" });
  }
  if (Object.keys(claims).length > 0) {
    const merged = { ...DEFAULT_CLAIMS, ...claims };
    next.claims = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
  }
  if (tamper !== undefined) next.tamper = tamper;
  return sendJson(res, 200, next);
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/(.)\/$/, "$1");
  if (path === "/__claims") {
    control(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
    });
    return;
  }
  if (req.method === "GET" && path === "/authorize") {
    const problem = authorizeProblem(new URL(req.url, "http://localhost").searchParams);
    if (problem !== null) return sendJson(res, 400, { error: "invalid_request", error_description: problem });
  }
  service.requestHandler(req, res);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
if (args.includes("--exit-on-stdin-close")) {
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}

server.listen(port, HOST, () => {
  const { port: chosen } = server.address();
  issuer.url = `http://${HOST}:${chosen}`;
  process.stdout.write(`${JSON.stringify({ issuer: issuer.url, client_id: CLIENT_ID, port: chosen, kid: signingKey.kid })}\n`);
});
