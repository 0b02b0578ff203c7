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

// US phone numbers as the answers write them: 911, 988, 1-800-422-6237, 888-793-9355,
// (800) 955-4572. Vanity forms (1-800-4-CANCER) are followed by their digits in the answers.
const PHONE = /(^|[^\w-])(911|988|(?:1-)?(?:\(\d{3}\) |\d{3}-)\d{3}-\d{4})(?![\w-])/g;

function telLink(number) {
  const digits = number.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
  const link = document.createElement("a");
  link.href = digits.length === 10 ? `tel:+1${digits}` : `tel:${digits}`;
  link.textContent = number;
  return link;
}

// Phone numbers in the text (not inside links) become tel: links, for a tap on a phone.
function linkPhoneNumbers(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!(parent && parent.closest("a"))) texts.push(walker.currentNode);
  }
  for (const node of texts) {
    const text = node.textContent;
    const fragment = document.createDocumentFragment();
    let done = 0;
    for (const match of text.matchAll(PHONE)) {
      const start = match.index + match[1].length;
      fragment.append(text.slice(done, start), telLink(match[2]));
      done = start + match[2].length;
    }
    if (done === 0) continue;
    fragment.append(text.slice(done));
    node.replaceWith(fragment);
  }
  return root;
}

export function renderBotText(text) {
  const html = marked.parse(String(text || ""), { gfm: true, breaks: true, async: false });
  return linkPhoneNumbers(DOMPurify.sanitize(html, SAFE));
}
