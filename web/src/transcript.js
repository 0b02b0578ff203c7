// The conversation as the browser keeps it: in sessionStorage, so a reload keeps
// it, while closing the tab (or a shared computer's next user in a new browser)
// starts afresh. Rasa's socketio channel keeps no history the page could fetch.
const MAX_MESSAGES = 200;

export function loadTranscript(key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key));
    if (saved && Array.isArray(saved.messages)) return saved;
  } catch (_) {
    // storage disabled or corrupt: start a new conversation
  }
  return { sessionId: null, open: null, messages: [] };
}

export function saveTranscript(key, transcript) {
  transcript.messages = transcript.messages.slice(-MAX_MESSAGES);
  try {
    sessionStorage.setItem(key, JSON.stringify(transcript));
  } catch (_) {
    // private mode or quota: the conversation still works, it just won't survive a reload
  }
}
