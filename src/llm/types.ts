/** Shared shapes of the LLM side: prompts sent to a server, as the workload generates them. */

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** The two OpenAI-compatible APIs the client speaks. */
export const LLM_APIS = ['completions', 'chat'] as const;
export type LlmApi = (typeof LLM_APIS)[number];

/** One sample of an LLM workload: what is sent, and how long an answer is asked for. */
export interface LlmPrompt {
  /** /v1/completions: the prompt text. */
  readonly prompt: string;
  /** /v1/chat/completions: the messages, earlier turns of a session included. */
  readonly messages: readonly ChatMessage[];
  /** Input tokens of `prompt` by the built-in word tokenizer (exact for the built-in model). */
  readonly promptTokens: number;
  /** Input tokens of renderChat(messages) by the same tokenizer. */
  readonly chatTokens: number;
  /** Output tokens asked for (max_tokens; the server is asked to ignore end-of-sequence). */
  readonly maxTokens: number;
  /** Multi-turn workloads: which session and which turn of it (0-based); null otherwise. */
  readonly session: number | null;
  readonly turn: number | null;
}
