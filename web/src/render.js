// Turns bot text (Markdown, bare URLs) into safe DOM. Nothing the bot or the
// user sends reaches the page as HTML without passing DOMPurify first.
import DOMPurify from "dompurify";
import { marked } from "marked";

const SAFE = {
  ALLOWED_TAGS: ["p", "br", "strong", "em", "a", "ul", "ol", "li", "code"],
  ALLOWED_ATTR: ["href"],
  // Only web and phone links: no javascript:, data: or relative URLs.
  ALLOWED_URI_REGEXP: /^(?:https?:|tel:)/i,
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

export function renderBotText(text) {
  const html = marked.parse(String(text || ""), { gfm: true, breaks: true, async: false });
  return DOMPurify.sanitize(html, SAFE);
}
