import type { FieldErrors } from '@buybuy/client';

import type { Me } from '../auth';
import { TextField } from './ui';

/** The address inputs, named as the API names them under `shipping_address`. */
export const ADDRESS_FIELDS = [
  'full_name',
  'line1',
  'line2',
  'city',
  'postal_code',
  'country',
  'phone',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/** The shipping address, started from the shopper's profile when they have one. */
export function AddressFields({ me, errors }: { me: Me | undefined; errors: FieldErrors }) {
  const error = (name: AddressField) => errors[`shipping_address.${name}`];
  const fullName = [me?.first_name, me?.last_name].filter(Boolean).join(' ');
  return (
    <>
      <TextField
        label="Full name"
        name="full_name"
        autoComplete="shipping name"
        required
        defaultValue={fullName}
        error={error('full_name')}
      />
      <TextField
        label="Address"
        name="line1"
        autoComplete="shipping address-line1"
        required
        defaultValue={me?.profile.address ?? ''}
        error={error('line1')}
      />
      <TextField
        label="Apartment, suite, etc. (optional)"
        name="line2"
        autoComplete="shipping address-line2"
        error={error('line2')}
      />
      <div className="row">
        <TextField
          label="City"
          name="city"
          autoComplete="shipping address-level2"
          required
          defaultValue={me?.profile.city ?? ''}
          error={error('city')}
        />
        <TextField
          label="Postal code"
          name="postal_code"
          autoComplete="shipping postal-code"
          required
          error={error('postal_code')}
        />
      </div>
      <div className="row">
        <TextField
          label="Country"
          name="country"
          autoComplete="shipping country-name"
          required
          defaultValue={me?.profile.country ?? ''}
          error={error('country')}
        />
        <TextField
          label="Phone (optional)"
          name="phone"
          type="tel"
          autoComplete="shipping tel"
          defaultValue={me?.profile.phone ?? ''}
          error={error('phone')}
        />
      </div>
    </>
  );
}
