// The web chat for seniors. Plain JavaScript modules, no build step, no framework: this one
// starts the page and wires its controls; the others say what they do at the top.
// "Slett samtalen" erases what the server and this browser keep (erase.js).

import { loadContacts, showProblem, toggleCallPanel } from "./contacts.js";
import { flush, poll, restore, saveDraft, submit } from "./conversation.js";
import { confirmDelete, deleteClosed, openDelete } from "./erase.js";
import { clearInputError, onChoice, renderAll } from "./render.js";
import { state, unsent } from "./state.js";
import { CHAT } from "./text.js";
import { ui } from "./ui.js";

const TEXT_SIZE_KEY = "seniorveiviser.textsize";
const POLL_SECONDS = 4;

// ---------------------------------------------------------------- larger text

function showTextSize(large) {
  document.documentElement.classList.toggle("text-large", large);
  ui.textSize.setAttribute("aria-pressed", String(large));
}

function toggleTextSize() {
  const large = !document.documentElement.classList.contains("text-large");
  showTextSize(large);
  try {
    localStorage.setItem(TEXT_SIZE_KEY, large ? "large" : "normal");
  } catch {
    // Not remembered; the choice still holds on this page.
  }
}

function rememberedTextSize() {
  try {
    return localStorage.getItem(TEXT_SIZE_KEY) === "large";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- start

function hideBrokenLogo() {
  // Without Punkt's assets (no `npm ci`) the logo is missing: show the name alone.
  const logo = document.querySelector(".site-header__logo");
  if (!logo) return;
  const hide = () => {
    logo.hidden = true;
  };
  if (logo.complete && !logo.naturalWidth) hide();
  else logo.addEventListener("error", hide);
}

function keepStickyBarsClear() {
  // Whatever is scrolled into view stops below "Ring oss heller" at the top of the screen and
  // above the message box at the bottom.
  const callBar = ui.callToggle.closest(".call-bar") || ui.callToggle;
  const composer = ui.form.closest(".composer-bar") || ui.form;
  const height = (bar) =>
    getComputedStyle(bar).position === "sticky" ? `${bar.offsetHeight}px` : "";
  const update = () => {
    document.documentElement.style.scrollPaddingTop = height(callBar);
    document.documentElement.style.scrollPaddingBottom = height(composer);
  };
  const observer = new ResizeObserver(update);
  observer.observe(callBar);
  observer.observe(composer);
  window.addEventListener("resize", update);
}

async function start() {
  showTextSize(rememberedTextSize());
  hideBrokenLogo();
  keepStickyBarsClear();
  renderAll();
  ui.input.value = state.draft || "";
  onChoice(submit);

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) {
      submit("");
      return;
    }
    ui.input.value = "";
    saveDraft();
    submit(text);
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.input.addEventListener("input", () => {
    saveDraft();
    if (!ui.inputError.hidden && ui.input.value.trim()) clearInputError();
  });
  ui.retry.addEventListener("click", () => {
    ui.status.textContent = CHAT.retrying;
    flush();
  });
  ui.callToggle.addEventListener("click", toggleCallPanel);
  ui.textSize.addEventListener("click", toggleTextSize);
  ui.deleteOpen.addEventListener("click", openDelete);
  ui.deleteCancel.addEventListener("click", () => ui.deleteDialog.close());
  ui.deleteConfirm.addEventListener("click", confirmDelete);
  ui.deleteDialog.addEventListener("close", deleteClosed);

  loadContacts();
  await restore();
  if (unsent().length) showProblem({ status: 503 }); // not sent before the page was left
  setInterval(poll, POLL_SECONDS * 1000);
  document.addEventListener("visibilitychange", poll);
  poll();
  document.body.dataset.ready = "true";
}

start();
