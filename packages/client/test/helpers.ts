/** A request as it left: its procedures (comma-joined when batched) and its headers. */
export interface SentRequest {
  path: string;
  headers: Headers;
}

/** A fetch that records `<procedure or path> <status>` for every request it sends, and the requests. */
export function recordingFetch() {
  const calls: string[] = [];
  const requests: SentRequest[] = [];
  const recorder: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url).pathname.replace(/^\/trpc\//, '');
    requests.push({ path, headers: new Headers(init?.headers) });
    const response = await fetch(input, init);
    calls.push(`${path} ${response.status}`);
    return response;
  };
  return { calls, requests, fetch: recorder };
}

let n = 0;
/** A fresh account for each call, unique across the test file. */
export function newAccount(prefix: string) {
  n += 1;
  const id = `${prefix}${n}${Date.now().toString(36)}`;
  return { username: id, email: `${id}@example.com`, password: 'correct horse battery' };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
