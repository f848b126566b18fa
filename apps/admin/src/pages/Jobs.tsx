import type { RouterOutputs } from '@buybuy/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { Card } from '../components/Card';
import { RowButton } from '../components/RowButton';
import { ActionsHeader, NumberHeader } from '../components/TableParts';
import { Alert, Empty, ErrorState, LiveRegion, Loading, usePageTitle } from '../components/ui';
import { formatDateTime } from '../orders';

type Overview = RouterOutputs['jobs']['overview'];
type FailedJob = Overview['failed'][number];

const INPUT = {};
/** The queue moves on its own: the counts are asked for again this often while the page is open. */
const REFRESH_MS = 5_000;

const MODE: Record<Overview['mode'], string> = {
  bullmq: 'Jobs wait in Redis and the job worker runs them.',
  embedded: 'No Redis: this API process runs the jobs itself, after each response.',
  none: 'This API runs no background jobs.',
};

/** The background jobs: how many wait, run or retry, and the ones that failed every try. */
export default function Jobs() {
  usePageTitle('Jobs');
  const queryClient = useQueryClient();
  const overview = useQuery({
    ...queries.jobs.overview.queryOptions(INPUT),
    refetchInterval: REFRESH_MS,
  });
  const [status, setStatus] = useState('');
  const retry = useMutation({
    mutationFn: (job: FailedJob) => api.jobs.retry.mutate({ id: job.id }),
    onSuccess: async (_, job) => {
      setStatus(`Job “${job.name}” (#${job.id}) queued again with all its tries.`);
      await queryClient.invalidateQueries(queries.jobs.overview.pathFilter());
    },
  });

  return (
    <>
      <h1>Jobs</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      {retry.isError && (
        <Alert>
          <ErrorState error={retry.error} />
        </Alert>
      )}
      {overview.isPending ? (
        <Loading label="Loading the job queue…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <div className="jobs">
          <Card id="queue-heading" title="Queue">
            <p>{MODE[overview.data.mode]}</p>
            <dl className="figures">
              <Figure label="Waiting" value={overview.data.counts.waiting} />
              <Figure label="Running" value={overview.data.counts.active} />
              <Figure label="Waiting to retry" value={overview.data.counts.delayed} />
              <Figure label="Failed" value={overview.data.counts.failed} />
            </dl>
          </Card>
          <Card id="failed-heading" title="Failed jobs">
            <FailedJobs
              jobs={overview.data.failed}
              retrying={retry.isPending ? retry.variables : undefined}
              onRetry={(job) => {
                setStatus('');
                retry.mutate(job);
              }}
            />
          </Card>
        </div>
      )}
    </>
  );
}

function FailedJobs({
  jobs,
  retrying,
  onRetry,
}: {
  jobs: FailedJob[];
  retrying: FailedJob | undefined;
  onRetry: (job: FailedJob) => void;
}) {
  if (jobs.length === 0) {
    return (
      <Empty>
        <p>No job has failed every try.</p>
      </Empty>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Jobs that failed every try, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Error</th>
              <NumberHeader>Tries</NumberHeader>
              <th scope="col">Failed</th>
              <th scope="col">Payload</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td>
                  <code className="job-name">{job.name}</code>
                  <div className="hint">#{job.id}</div>
                </td>
                <td className="job-error">{job.error}</td>
                <td className="number">{job.tries}</td>
                <td>{formatDateTime(job.failed_at)}</td>
                <td>
                  {job.payload === null ? (
                    <span className="hint">Not shown</span>
                  ) : (
                    <pre className="job-payload">{JSON.stringify(job.payload, null, 2)}</pre>
                  )}
                </td>
                <td className="row-actions">
                  <RowButton
                    label={`Retry ${job.name} #${job.id}`}
                    disabled={retrying !== undefined}
                    onClick={() => onRetry(job)}
                  >
                    {retrying?.id === job.id ? 'Retrying…' : 'Retry'}
                  </RowButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        Retry once the cause is fixed: the job runs again with all its tries. Payloads that may hold
        a secret (an email’s link) are not shown.
      </p>
    </>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
