// The chat page's elements (index.html), by what they are for.

import { $ } from "/shared/dom.js";

export const ui = {
  log: $("log"),
  status: $("status"),
  problem: $("problem"),
  problemText: $("problem-text"),
  retry: $("retry"),
  form: $("composer"),
  input: $("message"),
  inputError: $("message-error"),
  privacy: $("privacy"),
  emergency: $("emergency"),
  callToggle: $("call-toggle"),
  callPanel: $("call-panel"),
  callStatus: $("call-status"),
  callList: $("call-list"),
  deleteOpen: $("delete-open"),
  deleteDialog: $("delete-dialog"),
  deleteConfirm: $("delete-confirm"),
  deleteCancel: $("delete-cancel"),
  deleteError: $("delete-error"),
  textSize: $("text-size"),
};
