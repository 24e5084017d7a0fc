/**
 * Lets pending events run. A SIGINT reaches its listener only when the event loop polls, and async
 * code that only chains promises (vega's rendering, the report) never returns to the loop: long
 * stretches await this between pieces of work, or a Ctrl-C would wait for their end and then be
 * lost when the listener is removed.
 */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
