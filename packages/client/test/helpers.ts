/** A fetch that records `<procedure or path> <status>` for every request it sends. */
export function recordingFetch() {
  const calls: string[] = [];
  const recorder: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await fetch(input, init);
    calls.push(`${new URL(url).pathname.replace(/^\/trpc\//, '')} ${response.status}`);
    return response;
  };
  return { calls, fetch: recorder };
}

let n = 0;
/** A fresh account for each call, unique across the test file. */
export function newAccount(prefix: string) {
  n += 1;
  const id = `${prefix}${n}${Date.now().toString(36)}`;
  return { username: id, email: `${id}@example.com`, password: 'correct horse battery' };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
