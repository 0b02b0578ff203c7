// The CAR T assistant's chat widget. A site embeds it with one tag:
//   <script src="https://bot.example.org/cart-widget.js"
//           data-server-url="https://bot.example.org:5005" defer></script>
// Optional: data-open="true" (start open), data-socket-path (default /socket.io).
// It speaks Rasa's socketio protocol (session_request / user_uttered / bot_uttered)
// to channels/webchat.py, which flags the emergency reply (`metadata.emergency`) and the
// answers that may be rated (`metadata.feedback.topic`: 👍 / 👎 under them, channels/feedback.py).
import { io } from "socket.io-client";
import { renderBotText } from "./render.js";
import { loadTranscript, saveTranscript } from "./transcript.js";

const TEXT = {
  launcher: "Ask about CAR T",
  title: "CAR T information assistant",
  disclaimer: "Automated information, not medical advice. In an emergency call 911.",
  close: "Close chat",
  inputLabel: "Your question",
  placeholder: "Type your question…",
  send: "Send",
  you: "You said:",
  bot: "Assistant said:",
  urgent: "Urgent",
  suggestions: "Suggested questions",
  offline: "Can't reach the assistant right now. Reconnecting…",
  feedback: "Was this helpful?",
  helped: "This helped",
  notHelped: "This did not help",
  thanks: "Thanks for your feedback.",
  lookingFor: "Thanks. What were you looking for? Type it below if you like.",
};
const TOPIC_ID = /^[a-z][a-z0-9_]{0,59}$/;
const GREETING_PAYLOAD = "/greet"; // the greeting and its disclaimer come from the domain
const TYPING_TIMEOUT_MS = 30000;
const MAX_INPUT_CHARS = 1000;

const script = document.currentScript;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function start() {
  const serverUrl = script.dataset.serverUrl || new URL(script.src).origin;
  const storageKey = `cart-assistant:${serverUrl}`;
  const transcript = loadTranscript(storageKey);
  const startOpen = transcript.open ?? script.dataset.open === "true"; // the visitor's choice wins
  let socket = null;
  let confirmed = false;
  let typingTimer = null;
  let commentNext = false; // after a 👎, the next message typed is its comment
  const pending = []; // [payload, metadata] of messages sent before the session was confirmed

  document.head.append(el("link", { rel: "stylesheet", href: new URL("cart-widget.css", script.src).href }));

  const log = el("div", { class: "cartw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  const typing = el("div", { class: "cartw-typing", "aria-hidden": "true", hidden: "" }, el("span"), el("span"), el("span"));
  const status = el("p", { class: "cartw-status", role: "status" });
  const input = el("input", {
    id: "cartw-input", class: "cartw-input", type: "text", autocomplete: "off",
    maxlength: String(MAX_INPUT_CHARS), placeholder: TEXT.placeholder,
  });
  const form = el("form", { class: "cartw-form" },
    el("label", { class: "cartw-sr", for: "cartw-input", text: TEXT.inputLabel }),
    input,
    el("button", { class: "cartw-send", type: "submit", text: TEXT.send }));
  const close = el("button", { class: "cartw-close", type: "button", "aria-label": TEXT.close }, "×");
  const panel = el("section", { id: "cartw-panel", class: "cartw-panel", "aria-labelledby": "cartw-title", hidden: "" },
    el("header", { class: "cartw-header" },
      el("h2", { id: "cartw-title", class: "cartw-title", text: TEXT.title }),
      close,
      el("p", { class: "cartw-disclaimer", text: TEXT.disclaimer })),
    log, typing, status, form);
  const launcher = el("button", {
    class: "cartw-launcher", type: "button", "aria-expanded": "false", "aria-controls": "cartw-panel", text: TEXT.launcher,
  });
  document.body.append(el("div", { class: "cartw" }, panel, launcher));

  function save() {
    saveTranscript(storageKey, transcript);
  }

  function showMessage(message, isLatest) {
    const bubble = el("div", { class: `cartw-msg cartw-msg--${message.from}` },
      el("span", { class: "cartw-sr", text: message.from === "user" ? TEXT.you : TEXT.bot }));
    if (message.emergency) {
      bubble.classList.add("cartw-msg--emergency");
      bubble.append(el("strong", { class: "cartw-urgent", text: TEXT.urgent }));
    }
    const body = el("div", { class: "cartw-text" });
    if (message.from === "user") body.textContent = message.text;
    else body.append(renderBotText(message.text));
    bubble.append(body);
    if (message.feedbackTopic) bubble.append(feedbackButtons(message));
    log.querySelectorAll(".cartw-replies").forEach((old) => old.remove());
    log.append(bubble);
    if (isLatest && message.replies && message.replies.length) {
      const replies = el("div", { class: "cartw-replies", role: "group", "aria-label": TEXT.suggestions });
      for (const reply of message.replies) {
        const button = el("button", { class: "cartw-reply", type: "button", text: reply.title });
        button.addEventListener("click", () => {
          send(reply.payload, reply.title);
          input.focus();
        });
        replies.append(button);
      }
      log.append(replies);
    }
    if (isLatest) scrollToStartOf(bubble);
  }

  // 👍 / 👎 under an answer: small icon buttons, not suggestions. A rating is sent as a
  // payload that the server stores without answering; a 👎 invites a comment.
  function feedbackButtons(message) {
    const group = el("div", { class: "cartw-feedback", role: "group", "aria-label": TEXT.feedback });
    const note = el("span", { class: "cartw-feedback-note", role: "status" });
    const buttons = [["up", "👍", TEXT.helped], ["down", "👎", TEXT.notHelped]].map(([rating, icon, label]) => {
      const button = el("button", {
        class: "cartw-rate", type: "button", "aria-label": label, title: label,
        "aria-pressed": String(message.rated === rating),
      }, icon);
      if (message.rated) button.disabled = true;
      button.addEventListener("click", () => {
        message.rated = rating;
        save();
        buttons.forEach((b) => { b.disabled = true; });
        button.setAttribute("aria-pressed", "true");
        note.textContent = rating === "down" ? TEXT.lookingFor : TEXT.thanks;
        commentNext = rating === "down";
        const payload = `/feedback${JSON.stringify({ rating, topic: message.feedbackTopic })}`;
        if (confirmed) emit(payload);
        else pending.push([payload]);
        if (rating === "down") input.focus();
      });
      return button;
    });
    if (message.rated) note.textContent = TEXT.thanks;
    group.append(...buttons, note);
    return group;
  }

  // A long answer is read from its start: the newest user message just above it stays in
  // view, the rest of the answer and its buttons below. A user's own message goes to the end.
  function scrollToStartOf(bubble) {
    if (bubble.classList.contains("cartw-msg--user")) {
      log.scrollTop = log.scrollHeight;
      return;
    }
    const previous = bubble.previousElementSibling;
    const top = previous && previous.classList.contains("cartw-msg--user") ? previous : bubble;
    log.scrollTop = top.offsetTop - log.offsetTop - 8;
  }

  function addMessage(message) {
    transcript.messages.push(message);
    save();
    showMessage(message, true);
  }

  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
  }

  function emit(payload, metadata) {
    const data = { message: payload, session_id: transcript.sessionId };
    if (metadata) data.metadata = metadata;
    socket.emit("user_uttered", data);
  }

  function send(payload, shownText) {
    if (shownText !== null) addMessage({ from: "user", text: shownText });
    setTyping(true);
    if (confirmed) emit(payload);
    else pending.push([payload]);
    connect();
  }

  function connect() {
    if (socket) return;
    socket = io(serverUrl, {
      path: script.dataset.socketPath || "/socket.io",
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    socket.on("connect", () => socket.emit("session_request", { session_id: transcript.sessionId }));
    socket.on("session_confirm", (sessionId) => {
      const isNew = !transcript.sessionId;
      transcript.sessionId = sessionId;
      save();
      confirmed = true;
      status.textContent = "";
      if (isNew && transcript.messages.length === 0 && pending.length === 0) send(GREETING_PAYLOAD, null);
      pending.splice(0).forEach(([payload, metadata]) => emit(payload, metadata));
    });
    const offline = () => {
      confirmed = false;
      status.textContent = TEXT.offline;
      setTyping(false);
    };
    socket.on("connect_error", offline);
    socket.on("disconnect", (reason) => reason !== "io client disconnect" && offline());
    socket.on("bot_uttered", (message) => {
      setTyping(false);
      const metadata = message.metadata || {};
      const topic = metadata.feedback && metadata.feedback.topic;
      addMessage({
        from: "bot",
        text: typeof message.text === "string" ? message.text : "",
        replies: (message.quick_replies || []).map(({ title, payload }) => ({ title: String(title), payload: String(payload) })),
        emergency: metadata.emergency === true,
        feedbackTopic: typeof topic === "string" && TOPIC_ID.test(topic) && metadata.emergency !== true ? topic : null,
      });
    });
  }

  function setOpen(open, moveFocus = true) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    transcript.open = open;
    save();
    if (open) connect();
    if (moveFocus) (open ? input : launcher).focus();
  }

  transcript.messages.forEach((message, i) => showMessage(message, i === transcript.messages.length - 1));
  launcher.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") setOpen(false);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    if (commentNext) {
      commentNext = false; // the comment is an ordinary message, marked for `make review`
      addMessage({ from: "user", text });
      setTyping(true);
      if (confirmed) emit(text, { feedback_comment: true });
      else pending.push([text, { feedback_comment: true }]);
      connect();
      return;
    }
    send(text, text);
  });
  if (startOpen) setOpen(true, false); // on page load: leave the focus where the page wants it
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
