// "Slett samtalen": erase the conversation on the server and everything kept in this browser.

import { hideProblem } from "./contacts.js";
import { deleteConversation, ensureConversation } from "./gateway.js";
import { clearInputError, renderAll } from "./render.js";
import { forget, state } from "./state.js";
import { ERASE } from "./text.js";
import { ui } from "./ui.js";

/** True while erasing: nothing is fetched for the conversation meanwhile. */
export let deleting = false;
let justDeleted = false;

export function openDelete() {
  ui.deleteError.hidden = true;
  ui.deleteDialog.showModal();
  ui.deleteCancel.focus();
}

export async function confirmDelete() {
  deleting = true;
  ui.deleteConfirm.disabled = true;
  ui.deleteError.hidden = true;
  try {
    if (state.conversationId) {
      try {
        await deleteConversation(state.conversationId);
      } catch (error) {
        if (error.status !== 404) throw error;
      }
    }
    forget();
    ui.input.value = "";
    clearInputError();
    hideProblem();
    renderAll();
    justDeleted = true;
    ui.deleteDialog.close();
    ui.status.textContent = ERASE.done;
    ensureConversation().catch(() => {
      // Made when the first message is sent instead.
    });
  } catch {
    ui.deleteError.textContent = ERASE.failed;
    ui.deleteError.hidden = false;
  } finally {
    ui.deleteConfirm.disabled = false;
    deleting = false;
  }
}

/** The dialog closed: after erasing, focus the empty message box; otherwise where it was. */
export function deleteClosed() {
  (justDeleted ? ui.input : ui.deleteOpen).focus();
  justDeleted = false;
}
