// The chat page's calls to the API's chat gateway (docs/chat-api.md), never to Rasa.
// A failed call throws ApiError: status 0 (no contact), 404 (conversation gone), 422 (text
// refused), 429 (too many), anything else (the assistant cannot answer now).

import { request } from "/shared/http.js";
import { save, state } from "./state.js";

const conversationPath = (cid) => `/chat/conversations/${encodeURIComponent(cid)}`;

/** This browser's conversation id, made on the server the first time. */
export async function ensureConversation() {
  if (!state.conversationId) {
    const created = await request("POST", "/chat/conversations");
    state.conversationId = created.conversation_id;
    state.staffAfter = 0;
    save();
  }
  return state.conversationId;
}

export async function postMessage(text) {
  const cid = await ensureConversation();
  try {
    return await request("POST", `${conversationPath(cid)}/messages`, { body: { text } });
  } catch (error) {
    if (error.status !== 404) throw error;
    // The server no longer knows this conversation: start a new one and send again.
    state.conversationId = null;
    save();
    const fresh = await ensureConversation();
    return request("POST", `${conversationPath(fresh)}/messages`, { body: { text } });
  }
}

/** An answer to "Var dette til hjelp?" about this conversation's answer. */
export const postFeedback = async (body) =>
  request("POST", `${conversationPath(await ensureConversation())}/feedback`, { body });

/** Staff messages (and notices) after the one with id `after`. */
export const staffMessages = (cid, after) =>
  request("GET", `${conversationPath(cid)}/messages?after=${after}`);

export const transcript = (cid) => request("GET", `${conversationPath(cid)}/transcript`);

export const deleteConversation = (cid) => request("DELETE", conversationPath(cid));

export const contacts = () => request("GET", "/contacts");

export const district = (slug) => request("GET", `/districts/${encodeURIComponent(slug)}`);
