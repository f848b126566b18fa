import { randomUUID } from 'node:crypto';

import type { EdgeAnswer, EdgeClient } from './edge-client';

/** One write the load made: a category named after its Idempotency-Key. */
export interface LedgerEntry {
  key: string;
  name: string;
  /** acknowledged: a 201 came back (first try or a retry with the same key). */
  state: 'acknowledged' | 'unacknowledged';
  /** The id the 201 named. */
  id?: number;
  /** How many times it was sent. */
  sends: number;
}

export interface LoadReport {
  gets: number;
  /** Every GET that was not a 200, with why. */
  failedGets: string[];
  ledger: LedgerEntry[];
  /** Answers to writes that no retry explains (a 4xx other than a key in progress, a 500). */
  unexpected: string[];
}

export interface LoadOptions {
  /** An admin's access token (categories are the admin's writes). */
  token: string;
  /** The GETs the readers cycle through. */
  reads: string[];
  readers: number;
  writers: number;
}

/** Sends again after a gateway error or a dropped connection: the key makes it safe. */
const MAX_SENDS = 20;
/** A key still claimed by an instance that was killed stays claimed for a minute: give up before. */
const MAX_IN_PROGRESS = 10;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A bounded load through the edge: `readers` loops of GETs, `writers` loops
 * creating categories with an Idempotency-Key each, retried with the same key
 * when the answer was lost (a network error, a 502/503/504) as a careful
 * client does. Runs until stop(), which waits for the writes under way.
 */
export function startLoad(client: EdgeClient, options: LoadOptions) {
  let stopped = false;
  const report: LoadReport = { gets: 0, failedGets: [], ledger: [], unexpected: [] };

  async function read(loop: number) {
    for (let turn = loop; !stopped; turn += 1) {
      const path = options.reads[turn % options.reads.length]!;
      const answer = await client.send(path).catch((error: Error) => error);
      report.gets += 1;
      if (answer instanceof Error) report.failedGets.push(`${path}: ${answer.message}`);
      else if (answer.status !== 200)
        report.failedGets.push(`${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
  }

  async function write() {
    while (!stopped) report.ledger.push(await createCategory());
  }

  async function createCategory(): Promise<LedgerEntry> {
    const key = randomUUID();
    const entry: LedgerEntry = { key, name: `edge ${key}`, state: 'unacknowledged', sends: 0 };
    let inProgress = 0;
    while (entry.sends < MAX_SENDS && inProgress < MAX_IN_PROGRESS) {
      entry.sends += 1;
      const answer = await client
        .send('/v1/categories', {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'idempotency-key': key },
          body: { name: entry.name },
        })
        .catch((error: Error) => error);
      if (answer instanceof Error || [502, 503, 504].includes(answer.status)) {
        await pause(100);
        continue;
      }
      if (answer.status === 201) {
        entry.state = 'acknowledged';
        entry.id = (JSON.parse(answer.body) as { data: { id: number } }).data.id;
        return entry;
      }
      if (answer.status === 409 && errorCode(answer) === 'IDEMPOTENCY_KEY_IN_PROGRESS') {
        inProgress += 1;
        await pause(300);
        continue;
      }
      report.unexpected.push(`POST /v1/categories: ${answer.status} ${answer.body.slice(0, 300)}`);
      return entry;
    }
    return entry;
  }

  const loops = [
    ...Array.from({ length: options.readers }, (_, loop) => read(loop)),
    ...Array.from({ length: options.writers }, () => write()),
  ];

  const acknowledged = () => report.ledger.filter((entry) => entry.state === 'acknowledged').length;

  return {
    /** Resolves once the load has made `reads` more GETs and `writes` more acknowledged writes. */
    async progress(reads: number, writes: number) {
      const [getsBefore, acknowledgedBefore] = [report.gets, acknowledged()];
      while (report.gets < getsBefore + reads || acknowledged() < acknowledgedBefore + writes) {
        if (stopped) throw new Error('the load was stopped');
        await pause(50);
      }
    },
    async stop(): Promise<LoadReport> {
      stopped = true;
      await Promise.all(loops);
      return report;
    },
  };
}

function errorCode(answer: EdgeAnswer): string | undefined {
  try {
    return (JSON.parse(answer.body) as { errors?: Array<{ code?: string }> }).errors?.[0]?.code;
  } catch {
    return undefined;
  }
}
