/** Whether the user confirmed their address through the emailed link (unverified users may still sign in and order). */
export function EmailVerified({ verifiedAt }: { verifiedAt: string | null }) {
  return verifiedAt ? (
    <span className="badge ok">Verified</span>
  ) : (
    <span className="badge warn">Not verified</span>
  );
}
