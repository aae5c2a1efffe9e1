// Logging in on the staff pages (/staff, /staff/stats): the login view, the bearer token and
// calls made with it. The token is kept in this tab's sessionStorage only, in one place for
// both pages, so logging in on one of them logs in on both.

import { $, say, showNotice } from "./dom.js";
import { ApiError, json, request, send } from "./http.js";
import { LOGIN, ROLE_TEXT, loggedInAs, loginTitle, whoText } from "./text.js";

const STORE_KEY = "seniorveiviser.inbox.v1";

const ui = {
  status: $("status"),
  who: $("who"),
  whoText: $("who-text"),
  logout: $("logout"),
  loginView: $("login-view"),
  loginHeading: $("login-heading"),
  loginNotice: $("login-notice"),
  loginForm: $("login-form"),
  loginError: $("login-error"),
  loginSubmit: $("login-submit"),
  username: $("username"),
  password: $("password"),
};

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
    if (saved && typeof saved.token === "string" && saved.expiresAt > Date.now()) return saved;
  } catch {
    // A damaged store: log in again.
  }
  return null;
}

/** {token, expiresAt, me, districtName}, or null when logged out. */
export let session = loadSession();

function saveSession(next) {
  session = next;
  try {
    if (next) sessionStorage.setItem(STORE_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(STORE_KEY);
  } catch {
    // Storage refused (private browsing): the session lasts until the page is reloaded.
  }
}

// What the page does around logging in and out (see setUpLogin).
let page = {
  name: "",
  districtName: async () => "",
  loggedIn: async () => {},
  loggedOut: () => {},
  tooMany: () => "",
};

function sessionEnded(message) {
  saveSession(null);
  showLogin(message);
}

/** A call with the session's token; an expired session goes back to the login. */
export async function staffSend(method, path, { body, accept } = {}) {
  if (!session || session.expiresAt <= Date.now()) {
    sessionEnded(LOGIN.expired);
    throw new ApiError(401);
  }
  try {
    return await send(method, path, { body, accept, token: session.token, cache: "no-store" });
  } catch (error) {
    if (error.status === 401) sessionEnded(LOGIN.expired);
    throw error;
  }
}

/** As `staffSend`, and the answer's JSON. */
export async function staffRequest(method, path, body) {
  return json(await staffSend(method, path, { body }));
}

/** A call outside the session (the catalogue, logging in); the browser keeps no copy either. */
export const publicRequest = (method, path, options = {}) =>
  request(method, path, { ...options, cache: "no-store" });

/** Show `view` (one of the page's `.view` sections) and who is logged in. */
export function showView(view) {
  ui.status.textContent = ""; // what was said belongs to the view being left
  for (const candidate of document.querySelectorAll(".view")) candidate.hidden = candidate !== view;
  ui.who.hidden = !session;
  if (session) {
    const me = session.me;
    const role = ROLE_TEXT[me.role] || me.role || "–";
    ui.whoText.textContent = whoText(me.display_name, role, session.districtName || me.district);
  }
}

export function showLogin(message = "") {
  showView(ui.loginView);
  document.title = loginTitle(page.name);
  showNotice(ui.loginNotice, message);
  showNotice(ui.loginError, "");
  ui.password.value = "";
  if (message) ui.loginHeading.focus();
  else ui.username.focus();
}

async function logIn(event) {
  event.preventDefault();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    showNotice(ui.loginError, LOGIN.missing);
    (username ? ui.password : ui.username).focus();
    return;
  }
  ui.loginSubmit.disabled = true;
  showNotice(ui.loginError, "");
  try {
    const granted = await publicRequest("POST", "/auth/token", {
      form: { grant_type: "password", username, password },
    });
    const token = granted.access_token;
    const me = await publicRequest("GET", "/staff/me", { token });
    const districtName = await page.districtName(me);
    saveSession({ token, expiresAt: Date.now() + granted.expires_in * 1000, me, districtName });
    ui.password.value = "";
    await page.loggedIn();
    say(loggedInAs(me.display_name));
  } catch (error) {
    const message =
      error.status === 401
        ? LOGIN.wrong
        : error.status === 429
          ? page.tooMany(error)
          : error.status === 0
            ? LOGIN.noContact
            : LOGIN.failed;
    showNotice(ui.loginError, message);
    ui.password.value = "";
    ui.password.focus();
  } finally {
    ui.loginSubmit.disabled = false;
  }
}

async function logOut() {
  if (session) {
    try {
      await send("DELETE", "/auth/token", { token: session.token, cache: "no-store" });
    } catch {
      // The token is forgotten here either way, and it runs out by itself.
    }
  }
  saveSession(null);
  page.loggedOut();
  showLogin(LOGIN.loggedOut);
}

/**
 * Wire the login form and "Logg ut" for the page called `name` ("Innboks for bydelen").
 * `districtName(me)`: the district's name to show; `loggedIn()`: show the page's first view;
 * `loggedOut()`: tidy up before the login shows; `tooMany(error)`: text for a locked login.
 */
export function setUpLogin(hooks) {
  page = { ...page, ...hooks };
  ui.loginForm.addEventListener("submit", logIn);
  ui.logout.addEventListener("click", logOut);
}
