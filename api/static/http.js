// Calls to the API (`/api/...`), shared by every page. Errors come as problem+json: the `detail`
// it gives is kept on the ApiError.

const API = "/api";

/** The API answered with an error, or not at all (status 0). */
export class ApiError extends Error {
  constructor(status, detail = "", retryAfter = 0) {
    super(detail || `HTTP ${status}`);
    this.status = status; // 0: no answer from the server
    this.detail = detail;
    this.retryAfter = retryAfter; // seconds, with a 429
  }
}

/** The response to `method path`; a JSON `body` or a `form`; anything but 2xx throws ApiError. */
export async function send(
  method,
  path,
  { body, form, token, accept = "application/json", cache = "default" } = {},
) {
  const headers = { Accept: `${accept}, application/problem+json` };
  const options = { method, headers, cache };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (form) {
    options.body = new URLSearchParams(form);
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, options);
  } catch {
    throw new ApiError(0);
  }
  if (response.ok) return response;
  let detail = "";
  try {
    const data = await response.json();
    detail = (data && typeof data.detail === "string" && data.detail) || "";
  } catch {
    detail = "";
  }
  throw new ApiError(response.status, detail, Number(response.headers.get("Retry-After")) || 0);
}

/** The JSON in a response (null for none). */
export async function json(response) {
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** As `send`, and the answer's JSON (null for none). */
export async function request(method, path, options = {}) {
  return json(await send(method, path, options));
}
