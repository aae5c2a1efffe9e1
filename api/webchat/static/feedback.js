// "Var dette til hjelp?" under an answer about a service: Ja / Nei, posted once to the
// gateway's feedback route, then a thank-you in its place. Typing is never held up by it.

import { postFeedback } from "./gateway.js";
import { FEEDBACK } from "./text.js";

function thanks(words) {
  const note = document.createElement("p");
  note.className = "feedback__thanks";
  note.setAttribute("role", "status");
  note.textContent = words.thanks;
  return note;
}

/** The question (or, once answered, the thank-you) for `entry`, an answer with `feedback`. */
export function feedbackQuestion(entry) {
  const topic = entry.feedback;
  const words = FEEDBACK[topic.language] || FEEDBACK.nb;
  const box = document.createElement("div");
  box.className = "feedback";
  box.lang = FEEDBACK[topic.language] ? topic.language : "nb";
  if (topic.given !== undefined) {
    box.append(thanks(words));
    return box;
  }
  const question = document.createElement("p");
  question.className = "feedback__question";
  question.id = `feedback-${Math.random().toString(36).slice(2)}`;
  question.textContent = words.question;
  const choices = document.createElement("div");
  choices.className = "feedback__choices";
  choices.setAttribute("role", "group");
  choices.setAttribute("aria-labelledby", question.id);
  const press = async (helpful) => {
    if (topic.given !== undefined) return; // one answer a message
    topic.given = helpful;
    try {
      await postFeedback({
        helpful,
        service: topic.service,
        aspect: topic.aspect,
        language: topic.language,
      });
    } catch {
      delete topic.given; // not counted: the person may press again
      return;
    }
    const hadFocus = box.contains(document.activeElement);
    const note = thanks(words);
    box.replaceChildren(note);
    if (hadFocus) {
      // The pressed button is gone: keep a keyboard user's place on what replaced it.
      note.tabIndex = -1;
      note.focus();
    }
  };
  for (const [helpful, title] of [
    [true, words.yes],
    [false, words.no],
  ]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pkt-btn pkt-btn--secondary feedback__button";
    button.textContent = title;
    button.addEventListener("click", () => press(helpful));
    choices.append(button);
  }
  box.append(question, choices);
  return box;
}
