import type { ChatMessage } from '../types.js';

/**
 * How the built-in LLM server turns chat messages into one prompt: a line per message,
 * "role: content", then "assistant:" for the reply. The prompt generator counts a chat
 * request's input tokens on this same text, so both agree on the length.
 */
export function renderChat(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `${m.role}: ${m.content}`).join('\n')}\nassistant:`;
}
