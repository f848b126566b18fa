import type { Database } from '@buybuy/db';
import type { Mailer } from '@buybuy/email';
import type { ImageStorage } from '@buybuy/images';
import type { z } from 'zod';

/** The few logger methods a handler uses (pino's and Fastify's loggers fit). */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What every handler is given: long-lived handles, made once by the process that runs jobs. */
export interface JobDeps {
  db: Database;
  log: JobLogger;
  /** The image store (local disk or S3): the image jobs read and write its files. */
  images: ImageStorage;
  /** Sends emails (SMTP, or files in development); only `email.send` uses it. */
  mailer?: Mailer;
}

/**
 * One kind of job, defined once and shared by whoever enqueues it (the API)
 * and whoever runs it (the worker, or the API itself without Redis).
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** Unique; also the BullMQ job name, so renaming one strands its queued jobs. */
  name: string;
  payload: S;
  /** Tries in all, the first included (default `RETRY_POLICY.attempts`). */
  attempts?: number;
  handler: (payload: z.output<S>, deps: JobDeps) => Promise<unknown>;
  /**
   * What the admin panel shows of a failed job's payload. Unset: nothing,
   * since a payload may carry what admins must not read (an email's link
   * with its token); a job whose payload is plain data returns it.
   */
  payloadSummary?: (payload: z.output<S>) => unknown;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** A job enqueued again and again, every `everyMs`, with the same payload. */
export interface JobSchedule<S extends z.ZodType = z.ZodType> {
  job: JobDefinition<S>;
  everyMs: number;
  payload: z.input<S>;
}

/**
 * Both modes retry alike: `attempts` tries in all, waiting `backoffMs`, then
 * twice that, four times... between them (BullMQ's `exponential` backoff:
 * `2^(try - 1) * backoffMs`). A job that fails every try is kept as failed.
 */
export const RETRY_POLICY = { attempts: 5, backoffMs: 2_000 };

export function backoffDelay(failedTries: number, backoffMs: number): number {
  return Math.round(2 ** (failedTries - 1) * backoffMs);
}

/** Definitions by name; two definitions of one name are a programming error. */
export function jobsByName(definitions: readonly JobDefinition[]): Map<string, JobDefinition> {
  const byName = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`Two jobs are named ${definition.name}`);
    byName.set(definition.name, definition);
  }
  return byName;
}
