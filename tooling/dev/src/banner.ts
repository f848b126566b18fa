export interface BannerFacts {
  api: string;
  storefront: string;
  admin: string;
  /** The seed's demo accounts, admin first. */
  accounts: ReadonlyArray<{ email: string; password: string }>;
  /** The folder emails are written to, when there is no SMTP_URL. */
  mailDir?: string;
}

/** What `pnpm dev` prints once everything answers: where to go and how to sign in. */
export function banner({ api, storefront, admin, accounts, mailDir }: BannerFacts): string {
  const rows: Array<[string, string]> = [
    ['Storefront', storefront],
    ['Admin panel', admin],
    ['API', api],
    ['API reference', `${api}/docs`],
    ...accounts.map(({ email, password }): [string, string] => [
      'Sign in as',
      `${email} / ${password}`,
    ]),
    ...(mailDir ? [['Emails (.eml)', mailDir] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'BuyBuy is running:',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    'Ctrl-C stops everything.',
  ].join('\n');
}
